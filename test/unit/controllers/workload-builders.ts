// Builders for the controller planners' inputs: Deployments, ReplicaSets and pods with just
// the fields the planners read.
import type { IntOrPercent } from '../../../hub/controllers/objects/int-or-percent.js';
import type { Deployment, Pod, ReplicaSet } from '../../../hub/controllers/objects/kinds.js';

export const t0 = Date.parse('2025-01-01T00:00:00Z');

export function at(secondsAfterT0: number): string {
  return new Date(t0 + secondsAfterT0 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function aDeploymentOf(
  replicas: number,
  rolling: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent } | 'Recreate' = {},
): Deployment {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'nginx' }] },
      },
      strategy:
        rolling === 'Recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: rolling },
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
    },
  };
}

export interface RsOptions {
  available?: number;
  statusReplicas?: number;
  created?: number;
  revision?: number;
  annotations?: Record<string, string>;
}

export function aReplicaSetOf(name: string, replicas: number, options: RsOptions = {}): ReplicaSet {
  const annotations = { ...options.annotations };
  if (options.revision !== undefined)
    annotations['deployment.kubernetes.io/revision'] = String(options.revision);
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `${name}-uid`,
      generation: 1,
      creationTimestamp: at(options.created ?? 0),
      annotations,
    },
    spec: { replicas, selector: { matchLabels: { app: 'web' } } },
    status: {
      replicas: options.statusReplicas ?? replicas,
      availableReplicas: options.available ?? replicas,
      readyReplicas: options.available ?? replicas,
      observedGeneration: 1,
    },
  };
}

export interface PodOptions {
  node?: string;
  phase?: string;
  /** Seconds after t0 at which it became Ready; absent means not ready. */
  readySince?: number;
  created?: number;
  restarts?: number;
  cost?: number;
  uid?: string;
  labels?: Record<string, string>;
}

export function aPodOf(name: string, options: PodOptions = {}): Pod {
  const ready = options.readySince !== undefined;
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: options.uid ?? `${name}-uid`,
      creationTimestamp: at(options.created ?? 0),
      labels: options.labels ?? { app: 'web' },
      ...(options.cost !== undefined
        ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(options.cost) } }
        : {}),
    },
    spec: options.node ? { nodeName: options.node } : {},
    status: {
      phase: options.phase ?? (ready ? 'Running' : 'Pending'),
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: at(options.readySince ?? 0) },
      ],
      containerStatuses: [{ restartCount: options.restarts ?? 0 }],
    },
  };
}
