// A pod's core/v1 PodStatus from what the runtime shows and the agent remembers (pure; kubelet's
// generateAPIPodStatus): container statuses, phase, conditions, IPs and start time. A pod held
// stopped by its disconnect policy is Pending, reason Disconnected, every container waiting
// for the same reason: its stopped containers are the agent's doing, not the workload's end.
import type { PodStatus } from '../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../api/types.js';
import { apiTime, containerStatus, type ProbeView } from './container-statuses.js';
import { type PodCondition, podConditionDrafts, withTransitionTimes } from './pod-conditions.js';
import { activeParts } from './pod-lifecycle.js';
import { podPhase } from './pod-phase.js';
import type { PodRecord } from './pod-records.js';
import { newestSandbox, type PodRuntime } from './pod-runtime-view.js';
import {
  allContainersOf,
  appContainersOf,
  ephemeralContainersOf,
  initContainersOf,
  isDeleting,
  podSpecOf,
} from './pod-spec.js';

export interface PodStatusInput {
  pod: KubeObject;
  runtime: PodRuntime | undefined;
  record: PodRecord;
  probes: ProbeView;
  now: number;
  nodeName: string;
  hostIP?: string | undefined;
  /** False while the node has no pod CIDR. */
  networkReady: boolean;
  runtimeName: string;
}

export function buildPodStatus(input: PodStatusInput): PodStatus {
  const { pod, runtime, record } = input;
  const hold = record.hold;
  const ctx = {
    pod,
    runtime,
    reasons: hold
      ? new Map(allContainersOf(pod).map(({ container }) => [container.name, hold]))
      : record.reasons,
    probes: input.probes,
    runtimeName: input.runtimeName,
  };
  const init = initContainersOf(pod).map((c) => containerStatus(c, 'init', ctx));
  const app = appContainersOf(pod).map((c) => containerStatus(c, 'app', ctx));
  // Like kubelet, only for pods that have some: most pods never do.
  const ephemeral = ephemeralContainersOf(pod).map((c) => containerStatus(c, 'ephemeral', ctx));
  const active = activeParts(runtime);
  const terminal = isDeleting(pod) && active.containers.length === 0 && active.sandboxIds.length === 0;
  const phase = record.terminalPhase ?? (hold ? 'Pending' : podPhase(pod, init, app, terminal));
  const hostNetwork = podSpecOf(pod).hostNetwork === true;
  const sandbox = newestSandbox(runtime);
  const sandboxReady = sandbox?.state === 'READY' && (hostNetwork || sandbox.ip !== undefined);
  const noCidr = !hostNetwork && !input.networkReady && !sandboxReady;
  const noCidrMessage = `node ${input.nodeName} has no pod CIDR yet: the pod gets no IP (and no sandbox) until the hub allocates one`;
  const conditions: PodCondition[] = withTransitionTimes(
    podConditionDrafts({
      sandboxReady,
      sandboxMessage: noCidr ? noCidrMessage : undefined,
      init,
      app,
      phase,
    }),
    record.lastReported?.conditions as PodCondition[] | undefined,
    apiTime(input.now),
    pod.metadata.creationTimestamp ?? apiTime(record.startTime ?? input.now),
  );
  const status: PodStatus = { phase, conditions };
  if (noCidr) status.message = noCidrMessage;
  if (hold) {
    status.reason = hold.reason;
    status.message = hold.message;
  }
  if (input.hostIP) {
    status.hostIP = input.hostIP;
    status.hostIPs = [{ ip: input.hostIP }];
  }
  const podIP = hostNetwork ? input.hostIP : (sandbox?.ip ?? record.podIP);
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  if (record.startTime !== undefined) status.startTime = apiTime(record.startTime);
  if (init.length > 0) status.initContainerStatuses = init;
  status.containerStatuses = app;
  if (ephemeral.length > 0) status.ephemeralContainerStatuses = ephemeral;
  return status;
}
