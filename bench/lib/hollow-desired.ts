// The one part of a hollow gateway that follows the desired-state flow (firmware-notes/protocol.md,
// "Desired state and revisions"): decode, check node and revision, "run" the pods — an IP from
// the node's podCIDR and a Running/Ready status, no containers — and say what to send back (the
// ack, pod statuses, finalized deletions). Kept apart from the connection so a change of the
// flow is a change of this file only. No I/O: the caller publishes what this returns.

import { decodePayload } from '../../api/mqtt/codec.js';
import type { DesiredStateAck, ResyncRequest } from '../../api/mqtt/payloads/desired-state.js';
import type { PodStatusItem } from '../../api/mqtt/payloads/pod-status.js';
import { isNewerRevision } from '../../api/mqtt/revision.js';
import { routes } from '../../api/mqtt/route-table.js';
import type { KubeObject } from '../../api/types.js';
import { IpAllocator } from '../../hub/apiserver/registry/ip-allocator.js';
import { isHostNetwork, podStatusItem, runningPodStatus } from './hollow-pod-status.js';

export interface DesiredOutcome {
  /** Publish on `ack` (also for a duplicate: the hub may have lost the first ack). */
  ack?: DesiredStateAck;
  /** Publish on `pods/status`, in batches. */
  podStatus: PodStatusItem[];
  /** The node's podCIDR changed: its node status changes (NetworkUnavailable). */
  podCidrChanged: boolean;
}

interface RunningPod {
  uid: string;
  item: PodStatusItem;
  /** Undefined for host-network pods (they use the node's address). */
  ip: string | undefined;
}

export class HollowDesired {
  private applied: number | undefined;
  private cidr: string | undefined;
  private ips: IpAllocator | undefined;
  /** namespace/name → the pod as last reported. */
  private readonly running = new Map<string, RunningPod>();

  constructor(
    private readonly node: string,
    private readonly hostIP: string,
    private readonly now: () => number = Date.now,
  ) {}

  get podCidr(): string | undefined {
    return this.cidr;
  }

  get podCount(): number {
    return this.running.size;
  }

  /** Asked for after CONNACK while nothing was applied yet (the doc's connect sequence). */
  resyncRequest(): ResyncRequest | undefined {
    return this.applied === undefined
      ? { observedAt: this.now(), reason: 'no desired state yet' }
      : undefined;
  }

  /** Every pod's last status: resent after each reconnect (the hub may have missed some). */
  allStatuses(): PodStatusItem[] {
    return [...this.running.values()].map((p) => p.item);
  }

  receive(payload: Buffer): DesiredOutcome {
    const none: DesiredOutcome = { podStatus: [], podCidrChanged: false };
    if (payload.byteLength === 0) return none;
    const decoded = decodePayload(routes.desired, payload);
    if (!decoded.ok) return none;
    const state = decoded.value;
    if (state.node !== this.node) return none;
    const ack = { revision: state.revision, observedAt: this.now() };
    if (!isNewerRevision(state.revision, this.applied)) {
      return state.revision === this.applied ? { ...none, ack } : none;
    }
    this.applied = state.revision;
    const podCidrChanged = state.podCIDR !== this.cidr;
    if (podCidrChanged) this.setCidr(state.podCIDR);
    return { ack, podStatus: this.syncPods(state.pods), podCidrChanged };
  }

  private setCidr(cidr: string | undefined): void {
    this.cidr = cidr;
    this.ips = cidr ? new IpAllocator(cidr) : undefined;
    // .1 is the bridge's own address on a real gateway.
    if (this.ips) this.ips.allocate();
    // A new pod network: pods restart on it (a real agent recreates their sandboxes).
    this.running.clear();
  }

  private syncPods(pods: KubeObject[]): PodStatusItem[] {
    const out: PodStatusItem[] = [];
    const wanted = new Set<string>();
    for (const pod of pods) {
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      wanted.add(key);
      const known = this.running.get(key);
      if (pod.metadata.deletionTimestamp) {
        // "Containers stopped": tell the hub it may remove the pod.
        if (known) this.forget(key, known);
        out.push({ ...(known?.item ?? this.pending(pod)), observedAt: this.now(), finalized: true });
        continue;
      }
      if (known?.uid === pod.metadata.uid) continue;
      if (known) this.forget(key, known);
      const started = this.start(pod);
      if (started) {
        this.running.set(key, started);
        out.push(started.item);
      }
    }
    for (const [key, known] of this.running) if (!wanted.has(key)) this.forget(key, known);
    return out;
  }

  private start(pod: KubeObject): RunningPod | undefined {
    const hostNetwork = isHostNetwork(pod);
    // Without a pod network a pod gets no IP; it is started when the podCIDR arrives.
    const ip = hostNetwork ? undefined : this.ips?.allocate();
    if (!hostNetwork && ip === undefined) return undefined;
    const at = this.now();
    const status = runningPodStatus(pod, ip ?? this.hostIP, this.hostIP, at);
    return { uid: pod.metadata.uid as string, item: podStatusItem(pod, status, at), ip };
  }

  private pending(pod: KubeObject): PodStatusItem {
    return podStatusItem(pod, { phase: 'Pending' }, this.now());
  }

  private forget(key: string, pod: RunningPod): void {
    this.running.delete(key);
    if (pod.ip) this.ips?.release(pod.ip);
  }
}
