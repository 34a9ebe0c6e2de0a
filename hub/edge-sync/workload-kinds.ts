// The workload kinds a dashboard summary describes by their own object (workload-of.ts names the
// workload a pod belongs to): where the object is stored and how many pods it wants. A summary of
// one of these exists exactly while its object does, whatever the pods still terminating after
// it; a workload of any other kind (a custom controller's) while it has pods.
import type { KubeObject } from '../../api/types.js';

export interface WorkloadKind {
  group: string;
  resource: string;
  /** The pods the object asks for now. */
  desired(obj: KubeObject): number;
}

const replicas = (obj: KubeObject): number => {
  const value = (obj.spec as { replicas?: unknown } | undefined)?.replicas;
  return typeof value === 'number' ? value : 1;
};

/** Keyed by the lower-case kind, the workload level of a summary topic. */
export const workloadKinds: ReadonlyMap<string, WorkloadKind> = new Map<string, WorkloadKind>([
  ['deployment', { group: 'apps', resource: 'deployments', desired: replicas }],
  ['replicaset', { group: 'apps', resource: 'replicasets', desired: replicas }],
  ['statefulset', { group: 'apps', resource: 'statefulsets', desired: replicas }],
  ['replicationcontroller', { group: '', resource: 'replicationcontrollers', desired: replicas }],
  [
    'daemonset',
    {
      group: 'apps',
      resource: 'daemonsets',
      // The nodes it should run on: the DaemonSet controller counts them.
      desired: (obj) => numberAt(obj.status, 'desiredNumberScheduled') ?? 0,
    },
  ],
  [
    'job',
    {
      group: 'batch',
      resource: 'jobs',
      // The pods it runs at once; none once it finished (Complete or Failed).
      desired: (obj) => (finished(obj) ? 0 : (numberAt(obj.spec, 'parallelism') ?? 1)),
    },
  ],
]);

function numberAt(part: unknown, field: string): number | undefined {
  const value = (part as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'number' ? value : undefined;
}

function finished(job: KubeObject): boolean {
  const conditions = (job.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)
    ?.conditions;
  return (conditions ?? []).some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}
