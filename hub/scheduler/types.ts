// The parts of core/v1 Pod and Node that the scheduler reads. Objects come from the store as
// plain JSON (api/types KubeObject); these shapes only name the fields, every one optional,
// because the scheduler must cope with whatever a client managed to store.
import type { Quantities, Taint, Toleration } from '../../api/core-v1.js';
import type { KubeObject } from '../../api/types.js';

export type { Quantities, Taint, Toleration } from '../../api/core-v1.js';

export interface ContainerPort {
  containerPort?: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: string;
}

export interface Container {
  name?: string;
  image?: string;
  ports?: ContainerPort[];
  resources?: { requests?: Quantities; limits?: Quantities };
  /** `Always` on an init container makes it a sidecar (KEP-753). */
  restartPolicy?: string;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface LabelSelectorShape {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface PodAffinityTermShape {
  labelSelector?: LabelSelectorShape;
  namespaces?: string[];
  namespaceSelector?: LabelSelectorShape;
  topologyKey: string;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}

export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTermShape;
}

export interface PodAffinityShape {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTermShape[];
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
  };
  podAffinity?: PodAffinityShape;
  podAntiAffinity?: PodAffinityShape;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway' | string;
  labelSelector?: LabelSelectorShape;
  minDomains?: number;
  matchLabelKeys?: string[];
}

export interface PodSpec {
  nodeName?: string;
  schedulerName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  containers?: Container[];
  initContainers?: Container[];
  overhead?: Quantities;
  topologySpreadConstraints?: TopologySpreadConstraint[];
  schedulingGates?: { name: string }[];
  priority?: number;
}

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

export interface PodStatus {
  phase?: string;
  conditions?: PodCondition[];
}

export interface NodeCondition {
  type: string;
  status: string;
}

export interface ContainerImage {
  names?: string[];
  sizeBytes?: number;
}

export interface NodeSpec {
  unschedulable?: boolean;
  taints?: Taint[];
}

export interface NodeStatus {
  capacity?: Quantities;
  allocatable?: Quantities;
  conditions?: NodeCondition[];
  images?: ContainerImage[];
}

export type PodObject = KubeObject & { spec?: PodSpec; status?: PodStatus };
export type NodeObject = KubeObject & { spec?: NodeSpec; status?: NodeStatus };

/** Well-known labels and taints (k8s.io/api/core/v1 well_known_labels.go, well_known_taints.go). */
export const wellKnown = {
  hostname: 'kubernetes.io/hostname',
  arch: 'kubernetes.io/arch',
  os: 'kubernetes.io/os',
  zone: 'topology.kubernetes.io/zone',
  taintUnschedulable: 'node.kubernetes.io/unschedulable',
  taintNotReady: 'node.kubernetes.io/not-ready',
  taintUnreachable: 'node.kubernetes.io/unreachable',
} as const;

export const defaultSchedulerName = 'default-scheduler';
