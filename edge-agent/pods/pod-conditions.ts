// The pod conditions the kubelet owns (PodReadyToStartContainers, Initialized,
// ContainersReady, Ready) plus PodScheduled, with kubelet's reasons and messages; a
// condition's lastTransitionTime moves only when its status changes.
import type { ApiContainerStatus } from './container-statuses.js';
import type { PodPhase } from './pod-phase.js';

export type PodCondition = {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime: null;
  lastTransitionTime: string;
};

type Draft = Omit<PodCondition, 'lastTransitionTime' | 'lastProbeTime'>;

/** Go's %v of a string slice: [a b]. */
function goList(names: string[]): string {
  return `[${names.join(' ')}]`;
}

function readiness(type: string, app: ApiContainerStatus[], phase: PodPhase): Draft {
  const unready = app.filter((s) => !s.ready).map((s) => s.name);
  if (unready.length === 0) return { type, status: 'True' };
  if (phase === 'Succeeded') return { type, status: 'False', reason: 'PodCompleted' };
  return {
    type,
    status: 'False',
    reason: 'ContainersNotReady',
    message: `containers with unready status: ${goList(unready)}`,
  };
}

export interface ConditionInput {
  sandboxReady: boolean;
  /** Why there is no sandbox (e.g. no pod CIDR), for PodReadyToStartContainers. */
  sandboxMessage?: string | undefined;
  init: ApiContainerStatus[];
  app: ApiContainerStatus[];
  phase: PodPhase;
}

export function podConditionDrafts(input: ConditionInput): Draft[] {
  const incomplete = input.init
    .filter((s) => !(s.state.terminated?.exitCode === 0 || s.ready))
    .map((s) => s.name);
  const toStart: Draft = input.sandboxReady
    ? { type: 'PodReadyToStartContainers', status: 'True' }
    : { type: 'PodReadyToStartContainers', status: 'False' };
  if (!input.sandboxReady && input.sandboxMessage) {
    toStart.reason = 'NoPodCIDR';
    toStart.message = input.sandboxMessage;
  }
  const initialized: Draft =
    incomplete.length === 0 || input.phase === 'Succeeded'
      ? { type: 'Initialized', status: 'True' }
      : {
          type: 'Initialized',
          status: 'False',
          reason: 'ContainersNotInitialized',
          message: `containers with incomplete status: ${goList(incomplete)}`,
        };
  return [
    toStart,
    initialized,
    readiness('Ready', input.app, input.phase),
    readiness('ContainersReady', input.app, input.phase),
    { type: 'PodScheduled', status: 'True' },
  ];
}

/** Stamps each draft, keeping the previous transition time when the status did not change. */
export function withTransitionTimes(
  drafts: Draft[],
  previous: readonly PodCondition[] | undefined,
  now: string,
  scheduledAt: string,
): PodCondition[] {
  return drafts.map((draft) => {
    const before = previous?.find((c) => c.type === draft.type);
    const fallback = draft.type === 'PodScheduled' ? scheduledAt : now;
    const lastTransitionTime =
      before && before.status === draft.status ? before.lastTransitionTime : fallback;
    return { ...draft, lastProbeTime: null, lastTransitionTime };
  });
}
