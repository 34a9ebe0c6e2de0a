// The fields of Pods, ReplicaSets and Deployments that the workload controllers read and write
// (apps/v1 and core/v1 shapes). Objects from informers are frozen: treat these as read-only and
// clone before changing anything.
import type { LabelSelector } from '../../api/label-selector.js';
import type { KubeObject, ObjectMeta } from '../../api/types.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** metav1-style condition; Deployments carry lastUpdateTime too. */
export interface Condition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface PodTemplate {
  metadata?: Pick<ObjectMeta, 'labels' | 'annotations' | 'finalizers'> & Record<string, unknown>;
  spec?: Record<string, unknown>;
}

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; [field: string]: unknown };
  status?: {
    phase?: string;
    conditions?: Condition[];
    containerStatuses?: { restartCount?: number }[];
    [field: string]: unknown;
  };
}

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

export type IntOrPercent = number | string;

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

/** spec.replicas of a ReplicaSet or Deployment; apps/v1 defaults it to 1. */
export function specReplicas(obj: { spec: { replicas?: number } }): number {
  return obj.spec.replicas ?? 1;
}

/** Creation time in ms, for the "older first" orderings; absent sorts as oldest. */
export function createdAt(obj: KubeObject): number {
  const stamp = obj.metadata.creationTimestamp;
  return stamp ? Date.parse(stamp) : 0;
}
