// The one part of a hollow gateway that follows the desired-state flow (firmware-notes/protocol.md,
// "Desired state (protocol 2)"): own state as a snapshot or a delta onto exactly the revision
// held (a gap asks for a resync once), then "run" the pods — an IP from the node's podCIDR and a
// Running/Ready status, no containers — and say what to send back (the ack, pod statuses,
// finalized deletions, a resync). Shared Services, EndpointSlices and pod routes are only counted
// by the caller: a hollow gateway has no proxy. Kept apart from the connection so a change of
// the flow is a change of this file only. No I/O: the caller publishes what this returns.

import { decodePayload } from '../../api/mqtt/codec.js';
import { applyDelta } from '../../api/mqtt/payloads/desired-delta.js';
import {
  type DesiredState,
  type DesiredStateAck,
  protocolVersion,
  type ResyncRequest,
} from '../../api/mqtt/payloads/desired-state.js';
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
  /** A delta did not fit the revision held: publish on `resync`. */
  resync?: ResyncRequest;
}

interface RunningPod {
  uid: string;
  item: PodStatusItem;
  /** Undefined for host-network pods (they use the node's address). */
  ip: string | undefined;
}

export class HollowDesired {
  private held: DesiredState | undefined;
  /** A resync was asked for after a gap: deltas wait for the snapshot that answers it. */
  private awaitingSnapshot = false;
  private cidr: string | undefined;
  private ips: IpAllocator | undefined;
  /** namespace/name → the pod as last reported. */
  private readonly running = new Map<string, RunningPod>();
  private starts = 0;
  /** Pods started before (by uid), to tell a pod started again from a new one. */
  private readonly everStarted = new Set<string>();
  private startedAgain = 0;

  constructor(
    private readonly node: string,
    private readonly hostIP: string,
    private readonly now: () => number = Date.now,
  ) {}

  get podCidr(): string | undefined {
    return this.cidr;
  }

  /** The segment the own state names: its pod routes are on the segment's shared topics. */
  get segment(): string | undefined {
    return this.held?.segment;
  }

  get podCount(): number {
    return this.running.size;
  }

  /** Starts of a pod (uid) this gateway had started before. */
  get podRestarts(): number {
    return this.startedAgain;
  }

  /** The uids of the pods running now. */
  runningUids(): string[] {
    return [...this.running.values()].map((pod) => pod.uid);
  }

  /** Pods started so far (a pod started again after a restart of any kind counts again). */
  get podStarts(): number {
    return this.starts;
  }

  /** Sent after every SUBSCRIBE: deltas may have been lost with the connection. */
  resyncRequest(reason = 'reconnected'): ResyncRequest {
    const request: ResyncRequest = { observedAt: this.now(), reason };
    if (this.held) request.appliedRevision = this.held.revision;
    if (this.held?.digest !== undefined) request.appliedDigest = this.held.digest;
    return request;
  }

  /** Every pod's last status: resent after each reconnect (the hub may have missed some). */
  allStatuses(): PodStatusItem[] {
    return [...this.running.values()].map((p) => p.item);
  }

  /** A message on the node's `desired` (snapshot) or `desired/delta` topic. */
  receive(route: 'desired' | 'desiredDelta', payload: Buffer): DesiredOutcome {
    const none: DesiredOutcome = { podStatus: [], podCidrChanged: false };
    if (payload.byteLength === 0) return none;
    const decoded =
      route === 'desired'
        ? decodePayload(routes.desired, payload)
        : decodePayload(routes.desiredDelta, payload);
    if (!decoded.ok || decoded.value.node !== this.node || decoded.value.protocol !== protocolVersion)
      return none;
    const held = this.held?.revision;
    const ack = { revision: decoded.value.revision, observedAt: this.now() };
    if (!isNewerRevision(decoded.value.revision, held))
      return decoded.value.revision === held ? { ...none, ack } : none;
    let next: DesiredState;
    if ('from' in decoded.value) {
      if (!this.held || decoded.value.from !== held) {
        if (this.awaitingSnapshot) return none;
        this.awaitingSnapshot = true;
        return { ...none, resync: this.resyncRequest('a delta did not follow the revision held') };
      }
      next = applyDelta(this.held, decoded.value);
    } else {
      next = decoded.value as DesiredState;
    }
    this.awaitingSnapshot = false;
    this.held = next;
    const podCidrChanged = next.podCIDR !== this.cidr;
    if (podCidrChanged) this.setCidr(next.podCIDR);
    return { ack, podStatus: this.syncPods(next.pods), podCidrChanged };
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
        this.starts++;
        if (this.everStarted.has(started.uid)) this.startedAgain++;
        else this.everStarted.add(started.uid);
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
