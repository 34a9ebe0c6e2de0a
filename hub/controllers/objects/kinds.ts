// Typed views of the objects the controllers read. Objects come from the store as plain JSON
// (KubeObject); these shapes only name the fields the controllers use, optional wherever a
// client may leave them out, because a controller must cope with whatever a client managed to
// store. Objects from informers are frozen: never mutate what a cache handed out, clone first.

import type { Taint, Toleration } from '../../../api/core-v1.js';
import type { LabelSelector } from '../../../api/label-selector.js';
import type { KubeObject, ObjectMeta } from '../../../api/types.js';
import type { Affinity } from '../../scheduler/types.js';
import type { IntOrPercent } from './int-or-percent.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/**
 * A status condition (API conventions). Beside lastTransitionTime, Deployments carry
 * lastUpdateTime, Pods and Jobs lastProbeTime, Nodes lastHeartbeatTime. `status` is read as
 * stored; what controllers write is a ConditionStatus.
 */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
  lastHeartbeatTime?: string;
}

export type { Taint } from '../../../api/core-v1.js';

export interface ContainerView {
  name?: string;
  ports?: { name?: string; containerPort?: number; protocol?: string }[];
  [field: string]: unknown;
}

export interface PodSpecView {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  containers?: ContainerView[];
  hostNetwork?: boolean;
  hostname?: string;
  subdomain?: string;
  restartPolicy?: string;
}

export interface ContainerStatusView {
  restartCount?: number;
  state?: { terminated?: { finishedAt?: string; exitCode?: number } };
}

export interface PodStatusView {
  phase?: string;
  conditions?: Condition[];
  podIP?: string;
  podIPs?: { ip: string }[];
  containerStatuses?: ContainerStatusView[];
}

export type Pod = KubeObject & { spec?: PodSpecView; status?: PodStatusView };

export interface PodTemplate {
  metadata?: Pick<ObjectMeta, 'labels' | 'annotations' | 'finalizers'> & Record<string, unknown>;
  spec?: PodSpecView & Record<string, unknown>;
}

export type Node = KubeObject & {
  spec?: { taints?: Taint[]; unschedulable?: boolean; podCIDR?: string; podCIDRs?: string[] };
  status?: { conditions?: Condition[] };
};

export interface ReplicaSetStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

export interface ReplicaSet extends KubeObject {
  spec: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: LabelSelector;
    template?: PodTemplate;
  };
  status?: ReplicaSetStatus;
}

export interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  strategy?: {
    type?: string;
    rollingUpdate?: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent };
  };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
  collisionCount?: number;
}

export interface Deployment extends KubeObject {
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

/** The object itself, typed as a view (no copy: never mutate what a cache handed out). */
export function asPod(obj: KubeObject): Pod {
  return obj as Pod;
}

export function asNode(obj: KubeObject): Node {
  return obj as Node;
}

/** spec.replicas of a ReplicaSet or Deployment; apps/v1 defaults it to 1. */
export function specReplicas(obj: { spec: { replicas?: number } }): number {
  return obj.spec.replicas ?? 1;
}

/** Creation time in ms, for the "older first" orderings; absent sorts as oldest. */
export function createdAt(obj: KubeObject): number {
  const stamp = obj.metadata.creationTimestamp;
  return stamp ? Date.parse(stamp) : 0;
}
