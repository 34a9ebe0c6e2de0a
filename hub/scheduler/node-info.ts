// One node as the scheduler sees it: the node's parsed allocatable, labels and taints, plus
// running totals of what its pods use (requests, host ports, pods with affinity terms). Totals
// are kept up to date pod by pod, as kube's framework.NodeInfo, instead of being recomputed
// for every scheduling decision.
import type { PodInfo } from './pod-info.js';
import { addInto, emptyResources, parseResources, type ResourceList } from './resources.js';
import { type NodeObject, type Taint, wellKnown } from './types.js';

/** kubelet's default --max-pods, for nodes that report no `pods` count. */
export const defaultMaxPods = 110;

export class NodeInfo {
  /** Undefined while only pods bound to a node not (or no longer) in the cache refer to it. */
  node: NodeObject | undefined;
  labels: Record<string, string> = {};
  allocatable: ResourceList = emptyResources();
  allowedPods = 0;
  taints: readonly Taint[] = [];
  unschedulable = false;
  /** The taint the node lifecycle controller would set for a Ready condition that is not True. */
  conditionTaint: Taint | undefined;
  /** Normalised image name → size in bytes, from status.images. */
  images = new Map<string, number>();

  readonly requested: ResourceList = emptyResources();
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;
  readonly pods = new Map<string, PodInfo>();
  podsWithAffinity = 0;
  /** `protocol/port` → host IP → number of pods holding it. */
  private readonly ports = new Map<string, Map<string, number>>();

  constructor(readonly name: string) {}

  setNode(node: NodeObject | undefined): void {
    this.node = node;
    if (!node) return;
    this.labels = node.metadata.labels ?? {};
    const status = node.status ?? {};
    // Edge agents may report only capacity; then capacity is what pods may use.
    const quantities = status.allocatable ?? status.capacity;
    this.allocatable = parseResources(quantities);
    const pods = Number(quantities?.pods ?? Number.NaN);
    this.allowedPods = Number.isFinite(pods) ? pods : defaultMaxPods;
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = node.spec?.unschedulable === true;
    this.conditionTaint = readinessTaint(node, this.taints);
    this.images = new Map();
    for (const image of status.images ?? []) {
      for (const name of image.names ?? []) this.images.set(name, image.sizeBytes ?? 0);
    }
  }

  addPod(pod: PodInfo): void {
    this.pods.set(pod.key, pod);
    this.account(pod, 1);
  }

  removePod(key: string): PodInfo | undefined {
    const pod = this.pods.get(key);
    if (!pod) return undefined;
    this.pods.delete(key);
    this.account(pod, -1);
    return pod;
  }

  /** Whether any of `wanted` collides with a host port in use (same protocol and port, overlapping IP). */
  portsConflict(wanted: readonly { ip: string; protocol: string; port: number }[]): boolean {
    for (const p of wanted) {
      const holders = this.ports.get(`${p.protocol}/${p.port}`);
      if (!holders || holders.size === 0) continue;
      if (p.ip === '0.0.0.0' || holders.has('0.0.0.0') || holders.has(p.ip)) return true;
    }
    return false;
  }

  private account(pod: PodInfo, sign: 1 | -1): void {
    addInto(this.requested, pod.requests.requests, sign);
    this.nonZeroMilliCPU += sign * pod.requests.nonZeroMilliCPU;
    this.nonZeroMemory += sign * pod.requests.nonZeroMemory;
    if (pod.hasAffinityTerms) this.podsWithAffinity += sign;
    for (const p of pod.hostPorts) {
      const slot = `${p.protocol}/${p.port}`;
      const holders = this.ports.get(slot) ?? new Map<string, number>();
      const count = (holders.get(p.ip) ?? 0) + sign;
      if (count > 0) holders.set(p.ip, count);
      else holders.delete(p.ip);
      if (holders.size > 0) this.ports.set(slot, holders);
      else this.ports.delete(slot);
    }
  }
}

/**
 * A node whose Ready condition is Unknown is treated as tainted `node.kubernetes.io/unreachable`,
 * False or not yet reported as `node.kubernetes.io/not-ready` — what kube's node lifecycle
 * controller and kubelet registration do (TaintNodesByCondition) — unless the node already carries that taint, in which case the
 * TaintToleration plugin judges the real one.
 */
function readinessTaint(node: NodeObject, taints: readonly Taint[]): Taint | undefined {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return undefined;
  const key = ready?.status === 'Unknown' ? wellKnown.taintUnreachable : wellKnown.taintNotReady;
  if (taints.some((t) => t.key === key)) return undefined;
  return { key, effect: 'NoSchedule' };
}
