// Typed views of the objects the controllers read. Objects come from the store as plain JSON
// (KubeObject); these shapes only name the fields the controllers use, all optional, because a
// controller must cope with whatever a client managed to store.
import type { KubeObject } from '../../../api/types.js';
import type { Affinity, Toleration } from '../../scheduler/types.js';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
  lastHeartbeatTime?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface ContainerView {
  name?: string;
  ports?: { name?: string; containerPort?: number; protocol?: string }[];
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
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: PodSpecView & Record<string, unknown>;
}

export type Node = KubeObject & {
  spec?: { taints?: Taint[]; unschedulable?: boolean; podCIDR?: string; podCIDRs?: string[] };
  status?: { conditions?: Condition[] };
};

/** The object itself, typed as a view (no copy: never mutate what a cache handed out). */
export function asPod(obj: KubeObject): Pod {
  return obj as Pod;
}

export function asNode(obj: KubeObject): Node {
  return obj as Node;
}
