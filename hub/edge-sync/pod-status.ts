// Pod status in. A gateway may write the status of pods bound to it only, of the pod instance
// it reports on (same uid), and never with an older observation than the one stored. When the
// observation was made is kept in the status itself, as a condition of our own type (custom
// condition types are allowed, as readiness gates use them), so the check survives restarts
// and costs no extra write. Pod IPs must lie in the Node's podCIDR (host-network pods aside): a
// gateway cannot point Services at addresses that are not its pods'.
import { BlockList, isIP } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { isApiError } from '../../api/errors.js';
import { statusObservedCondition } from '../../api/last-report.js';
import type { PodStatusItem } from '../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';
import { type Condition, conditionsOf, isoMillis, timeOf } from './conditions.js';
import { nodeNameOf } from './watched-kinds.js';

export const observedConditionType = statusObservedCondition;

/** Conditions other writers own: the scheduler's and the eviction/disruption machinery's. */
const hubOwnedConditions = new Set(['PodScheduled', 'DisruptionTarget']);

export type PodStatusOutcome =
  | 'written'
  | 'stale'
  | 'wrong-node'
  | 'wrong-uid'
  | 'ip-outside-pod-cidr'
  | 'gone'
  | 'removed';

export function observedAtOf(pod: KubeObject): number | undefined {
  return timeOf(conditionsOf(pod.status).find((c) => c.type === observedConditionType)?.lastProbeTime);
}

/** The Node's pod CIDRs (spec.podCIDRs, or the older single spec.podCIDR); none before IPAM ran. */
export function podCIDRsOf(node: KubeObject | undefined): string[] {
  const spec = (node?.spec ?? {}) as { podCIDR?: unknown; podCIDRs?: unknown };
  const list = Array.isArray(spec.podCIDRs) ? spec.podCIDRs : [spec.podCIDR];
  return list.filter((c): c is string => typeof c === 'string' && c.includes('/'));
}

/**
 * The address ranges a Node's pods may have, built once per status message (a BlockList costs
 * more to build than the checks of a whole batch: 100,000 pods report again after a hub restart).
 */
export class PodIPRanges {
  private readonly allowed = new BlockList();
  readonly empty: boolean;

  constructor(podCIDRs: string[]) {
    for (const cidr of podCIDRs) {
      const [base = '', bits = ''] = cidr.split('/');
      const family = isIP(base);
      if (family !== 0) this.allowed.addSubnet(base, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    }
    this.empty = podCIDRs.length === 0;
  }

  contains(ip: string): boolean {
    const family = isIP(ip);
    return family !== 0 && this.allowed.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  }
}

const noRanges = new PodIPRanges([]);

/** The reported pod IPs outside `ranges`; none for host-network pods or a Node without CIDRs. */
export function ipsOutside(pod: KubeObject, item: PodStatusItem, ranges: PodIPRanges): string[] {
  if ((pod.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork === true || ranges.empty) return [];
  const status = item.status as { podIP?: unknown; podIPs?: Array<{ ip?: unknown }> };
  const reported = [status.podIP, ...(Array.isArray(status.podIPs) ? status.podIPs.map((p) => p?.ip) : [])];
  const ips = new Set(reported.filter((ip): ip is string => typeof ip === 'string' && ip !== ''));
  return [...ips].filter((ip) => !ranges.contains(ip));
}

/** Why the report may not touch this pod, or undefined when it may. */
export function refusal(
  pod: KubeObject,
  node: string,
  item: PodStatusItem,
  ranges: PodIPRanges = noRanges,
): PodStatusOutcome | undefined {
  if (pod.metadata.uid !== item.uid) return 'wrong-uid';
  if (nodeNameOf(pod) !== node) return 'wrong-node';
  if (ipsOutside(pod, item, ranges).length > 0) return 'ip-outside-pod-cidr';
  const stored = observedAtOf(pod);
  if (stored !== undefined && item.observedAt < stored) return 'stale';
  return undefined;
}

/** The status to store: the agent's, plus the conditions the hub owns and the observation time. */
export function mergedPodStatus(pod: KubeObject, node: string, item: PodStatusItem): Record<string, unknown> {
  const stored = (pod.status ?? {}) as Record<string, unknown>;
  const reported = (item.status.conditions ?? []) as Condition[];
  const reportedTypes = new Set(reported.map((c) => c.type));
  const kept = conditionsOf(stored).filter(
    (c) => hubOwnedConditions.has(c.type) && !reportedTypes.has(c.type),
  );
  const at = isoMillis(item.observedAt);
  const observed: Condition = {
    type: observedConditionType,
    status: 'True',
    reason: 'ReportedByAgent',
    message: `status observed on gateway ${node}`,
    lastProbeTime: at,
    lastTransitionTime: at,
  };
  const next: Record<string, unknown> = {
    ...item.status,
    conditions: [...kept, ...reported.filter((c) => c.type !== observedConditionType), observed],
  };
  // qosClass is set once by the API server and is immutable.
  if (stored.qosClass !== undefined) next.qosClass = stored.qosClass;
  return next;
}

class Abandon extends Error {
  constructor(readonly outcome: PodStatusOutcome) {
    super(outcome);
  }
}

export async function applyPodStatus(
  pods: ResourceStore,
  node: string,
  item: PodStatusItem,
  ranges: PodIPRanges = noRanges,
): Promise<PodStatusOutcome> {
  // A status resent as it is stored (every pod of every gateway after a reconnect: 100,000 after
  // a hub restart) costs a read and a comparison, not a read-modify-write that changes nothing.
  const current = await pods.get(item.namespace, item.name).catch(() => undefined);
  if (
    current &&
    !item.finalized &&
    refusal(current, node, item, ranges) === undefined &&
    isDeepStrictEqual(mergedPodStatus(current, node, item), current.status)
  ) {
    return 'written';
  }
  let stored: KubeObject;
  try {
    stored = await pods.modify(
      item.namespace,
      item.name,
      (pod) => {
        const refused = refusal(pod, node, item, ranges);
        if (refused) throw new Abandon(refused);
        pod.status = mergedPodStatus(pod, node, item);
        return pod;
      },
      { subresource: 'status' },
    );
  } catch (err) {
    if (err instanceof Abandon) return err.outcome;
    if (isApiError(err) && err.reason === 'NotFound') return 'gone';
    throw err;
  }
  if (item.finalized && stored.metadata.deletionTimestamp) {
    // The agent's half of graceful deletion: containers stopped, the pod can go.
    await pods.delete(item.namespace, item.name, {
      gracePeriodSeconds: 0,
      preconditions: { uid: item.uid },
      dryRun: false,
    });
    return 'removed';
  }
  return 'written';
}
