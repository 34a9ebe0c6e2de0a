// Builders for the objects the table tests print. Every object is created at `created`,
// and tests print at `now`, so AGE cells are predictable.
import type { KubeObject } from '../../../../api/types.js';

export const now = new Date('2025-06-01T12:00:00Z');

/** An RFC 3339 timestamp `seconds` before `now`. */
export function ago(seconds: number): string {
  return new Date(now.getTime() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const created = ago(3 * 3600 + 25 * 60); // AGE 3h25m

function anObject(kind: string, apiVersion: string, name: string, extra: Partial<KubeObject>): KubeObject {
  const { metadata, ...rest } = extra;
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: created, ...metadata },
    ...rest,
  };
}

export function aRunningPod(name = 'web-1', extra: Partial<KubeObject> = {}): KubeObject {
  return anObject('Pod', 'v1', name, {
    spec: { nodeName: 'gw-1', containers: [{ name: 'web', image: 'nginx:1.27' }] },
    status: {
      phase: 'Running',
      podIP: '10.42.0.7',
      podIPs: [{ ip: '10.42.0.7' }],
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          name: 'web',
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: created } },
        },
      ],
    },
    ...extra,
  });
}

export function aPod(name: string, spec: object, status: object, metadata: object = {}): KubeObject {
  return anObject('Pod', 'v1', name, { spec, status, metadata: { name, ...metadata } });
}

export function aNode(
  name: string,
  extra: { labels?: Record<string, string>; ready?: string; unschedulable?: boolean } = {},
): KubeObject {
  return anObject('Node', 'v1', name, {
    metadata: { name, namespace: undefined, labels: extra.labels ?? {} },
    spec: extra.unschedulable ? { unschedulable: true } : {},
    status: {
      conditions: extra.ready === undefined ? [] : [{ type: 'Ready', status: extra.ready }],
      addresses: [
        { type: 'InternalIP', address: '192.168.1.20' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.32.0-flotilla',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0-18-arm64',
        containerRuntimeVersion: 'containerd://1.7.24',
      },
    },
  });
}

export function aService(name: string, spec: object, status: object = {}): KubeObject {
  return anObject('Service', 'v1', name, { spec, status });
}

export function aDeployment(name: string, spec: object, status: object = {}): KubeObject {
  return anObject('Deployment', 'apps/v1', name, { spec, status });
}

export function aWorkload(kind: string, apiVersion: string, name: string, body: object): KubeObject {
  return anObject(kind, apiVersion, name, body as Partial<KubeObject>);
}

export const webTemplate = {
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1.27' },
      { name: 'sidecar', image: 'busybox:1.36' },
    ],
  },
};
