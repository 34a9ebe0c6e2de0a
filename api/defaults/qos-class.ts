// Pod QoS class (kube's GetPodQOS), from cpu and memory requests and limits summed over all
// containers: Guaranteed when every container limits both and requests equal limits,
// BestEffort when nothing is requested or limited, Burstable otherwise.
import { parseQuantity } from '../quantity.js';
import { isRecord, type JsonRecord } from '../validation/field-readers.js';
import { recordsAt } from './set-default.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const qosResources = ['cpu', 'memory'];

/** Positive cpu/memory quantities of a resource list; unparseable ones count as absent. */
function positiveQuantities(list: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (!isRecord(list)) return out;
  for (const name of qosResources) {
    const raw = list[name];
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    try {
      const value = parseQuantity(raw);
      if (value > 0) out.set(name, value);
    } catch {
      // Validation reports malformed quantities; QoS just ignores them.
    }
  }
  return out;
}

function addInto(total: Map<string, number>, part: Map<string, number>): void {
  for (const [name, value] of part) total.set(name, (total.get(name) ?? 0) + value);
}

export function computeQosClass(spec: JsonRecord): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let everyContainerLimited = true;
  for (const container of [...recordsAt(spec, 'containers'), ...recordsAt(spec, 'initContainers')]) {
    const resources = isRecord(container.resources) ? container.resources : {};
    const containerLimits = positiveQuantities(resources.limits);
    addInto(requests, positiveQuantities(resources.requests));
    addInto(limits, containerLimits);
    if (!qosResources.every((r) => containerLimits.has(r))) everyContainerLimited = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  const requestsMatch = [...requests].every(([name, value]) => limits.get(name) === value);
  return everyContainerLimited && requestsMatch && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
