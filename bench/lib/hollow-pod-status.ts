// What a hollow gateway reports for a pod it "runs": the status a real agent sends once every
// container is up (edge-agent/pods/build-pod-status.ts), written out in full because the hub
// stores the agent's status whole — podIP, hostIP, startTime and every kubelet-owned condition
// come from the gateway or are missing. Pure.
import type { PodStatus, PodStatusItem } from '../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../api/types.js';

/** The pod conditions kubelet owns; PodScheduled is the scheduler's and stays the hub's. */
const kubeletConditions = ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready'];

interface ContainerSpec {
  name: string;
  image?: string;
}

function containersOf(pod: KubeObject): ContainerSpec[] {
  const spec = (pod.spec ?? {}) as { containers?: ContainerSpec[] };
  return Array.isArray(spec.containers) ? spec.containers : [];
}

export function isHostNetwork(pod: KubeObject): boolean {
  return (pod.spec as { hostNetwork?: unknown } | undefined)?.hostNetwork === true;
}

/** Running and Ready, every container started at `startedAt` (ms), with the pod's own IP. */
export function runningPodStatus(
  pod: KubeObject,
  podIP: string,
  hostIP: string,
  startedAt: number,
): PodStatus {
  const at = new Date(startedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    phase: 'Running',
    conditions: kubeletConditions.map((type) => ({
      type,
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: at,
    })),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: at,
    containerStatuses: containersOf(pod).map((c, i) => ({
      name: c.name,
      ready: true,
      started: true,
      restartCount: 0,
      image: c.image ?? '',
      imageID: '',
      containerID: `hollow://${pod.metadata.uid}-${i}`,
      state: { running: { startedAt: at } },
    })),
  };
}

export function podStatusItem(pod: KubeObject, status: PodStatus, observedAt: number): PodStatusItem {
  return {
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid as string,
    observedAt,
    status,
  };
}
