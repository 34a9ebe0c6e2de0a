// Fleets and pods for the scheduler benchmark: a mix of arm64, 32-bit ARM (armv7, labelled
// `arm` as Go and kube name it) and amd64 gateways spread over zones and sites, each node
// already running a couple of pods, and the pods to place — plain ones with requests only, or
// replicas of small apps that spread over zones and avoid each other per host.
import type { KubeObject } from '../../api/types.js';

interface Board {
  arch: string;
  cpu: string;
  memory: string;
  share: number;
}

const boards: Board[] = [
  { arch: 'arm64', cpu: '4', memory: '4Gi', share: 0.5 },
  { arch: 'arm', cpu: '1', memory: '1Gi', share: 0.3 },
  { arch: 'amd64', cpu: '8', memory: '16Gi', share: 0.2 },
];

export const zonesPerFleet = 8;

function boardFor(i: number): Board {
  const position = (i * 0.6180339887) % 1; // golden-ratio stride: shares hold for any fleet size
  let edge = 0;
  for (const board of boards) {
    edge += board.share;
    if (position < edge) return board;
  }
  return boards[0]!;
}

export function fleetNode(i: number): KubeObject {
  const board = boardFor(i);
  const name = `gw-${String(i).padStart(5, '0')}`;
  const allocatable = { cpu: board.cpu, memory: board.memory, pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/arch': board.arch,
        'kubernetes.io/os': 'linux',
        'topology.kubernetes.io/zone': `zone-${i % zonesPerFleet}`,
        'flotilla.io/site': `site-${Math.floor(i / 25)}`,
      },
    },
    spec: {},
    status: { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function container(cpu: string, memory: string): Record<string, unknown> {
  return { name: 'app', image: 'registry.local/app:1', resources: { requests: { cpu, memory } } };
}

/** A pod already running on `nodeName` (the system agent every gateway runs, or a cache). */
export function runningPod(name: string, nodeName: string, app: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'fleet', uid: `uid-${name}`, labels: { app } },
    spec: { nodeName, containers: [container('50m', '32Mi')] },
    status: { phase: 'Running' },
  };
}

export function simplePod(seq: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `simple-${seq}`,
      namespace: 'fleet',
      uid: `uid-simple-${seq}`,
      labels: { app: 'simple' },
    },
    spec: { containers: [container('100m', '64Mi')] },
  };
}

/** A replica of app `seq / replicas`: zone spread, one per host, near the cache if it can. */
export function spreadPod(seq: number, replicas = 20): KubeObject {
  const app = `app-${Math.floor(seq / replicas)}`;
  const selector = { matchLabels: { app } };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `spread-${seq}`, namespace: 'fleet', uid: `uid-spread-${seq}`, labels: { app } },
    spec: {
      containers: [container('100m', '64Mi')],
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: selector,
        },
        {
          maxSkew: 2,
          topologyKey: 'flotilla.io/site',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: selector,
        },
      ],
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: selector, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 50,
              podAffinityTerm: {
                labelSelector: { matchLabels: { app: 'cache' } },
                topologyKey: 'flotilla.io/site',
              },
            },
          ],
        },
      },
    },
  };
}
