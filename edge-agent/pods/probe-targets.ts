// The running app containers that have probes, with the address their httpGet and tcpSocket
// probes connect to: the pod IP, or for a host-network pod the host's (127.0.0.1 when the
// agent was given no host IP). On a runtime whose pods have no network (the fake), the target
// says so: those probes are answered in memory by the runtime, nothing is dialled.
import type { KubeObject } from '../../api/types.js';
import { instancesOf, type PodRuntime } from './pod-runtime-view.js';
import { appContainersOf, isDeleting, podSpecOf, podUid } from './pod-spec.js';
import type { RunningContainer } from './probe-manager.js';

export function runningProbeTargets(
  pods: KubeObject[],
  grouped: Map<string, PodRuntime>,
  hostIP: string | undefined,
  simulatedNetwork = false,
): RunningContainer[] {
  const targets: RunningContainer[] = [];
  for (const pod of pods) {
    const runtime = grouped.get(podUid(pod));
    const sandbox = runtime?.sandboxes[0];
    if (isDeleting(pod) || sandbox?.state !== 'READY') continue;
    const host = podSpecOf(pod).hostNetwork === true ? (hostIP ?? '127.0.0.1') : (sandbox.ip ?? '');
    for (const container of appContainersOf(pod)) {
      if (!container.livenessProbe && !container.readinessProbe && !container.startupProbe) continue;
      const latest = instancesOf(runtime, container.name, sandbox.id)[0];
      if (latest?.state !== 'RUNNING') continue;
      targets.push({
        podUid: podUid(pod),
        containerId: latest.id,
        container,
        host,
        ...(simulatedNetwork ? { inMemory: true } : {}),
        startedAt: latest.startedAt,
      });
    }
  }
  return targets;
}
