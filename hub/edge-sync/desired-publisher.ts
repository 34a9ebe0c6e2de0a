// Desired state out: follows pods, config maps, secrets and nodes, marks the gateways a change
// concerns, and publishes what changed in each one's own desired state, at most once per short
// coalescing window: a change after a quiet moment goes out at once (with whatever else changed
// in the same turn), changes while a window is open wait for its end and go out together.
// Services, EndpointSlices and pod routes are not in it (shared-publisher.ts): a change there
// touches no gateway's own state, and a Node change only that node's.
//
// A change goes out as a delta (non-retained, QoS 1) from the last published revision; a full
// snapshot (retained, QoS 1) goes out for a node's first publish since the hub started (its
// resync after it connects, or a change before that), for a resync request, and when the deltas
// since the last snapshot add up to more bytes than the snapshot (so the retained copy a new
// subscriber gets never lags far, and deltas cost at most twice what changed). A resync from an
// agent that holds the current revision is answered with an empty delta (`from` = `revision`):
// it is current, nothing more to send.
//
// Revision = the store's resourceVersion when the snapshot is taken (at least last + 1). Every
// content change comes from a store write made after the previous snapshot, so revisions only
// grow, also across hub restarts (the resourceVersion is persisted), with no extra writes.
//
// A restarted hub remembers no gateway's revision, but every snapshot and delta carries a digest
// of its content, which the agent echoes in its resync request: when it matches the state the
// hub would send, the hub takes the agent's revision as published and answers "you are current"
// (after a restart with 10,000 gateways × 10 pods, 210 MB of snapshots that changed nothing).
// The retained copy is then missing until the node's next change, which goes out as a snapshot.
import { createHash } from 'node:crypto';
import type { Logger } from '../../api/logger.js';
import { encodePayload } from '../../api/mqtt/codec.js';
import { type DesiredPrint, diffDesired, printOf, samePrint } from '../../api/mqtt/payloads/desired-delta.js';
import {
  type DesiredState,
  type DesiredStateAck,
  desiredStateLists,
  protocolVersion,
} from '../../api/mqtt/payloads/desired-state.js';
import { buildTopic, routes } from '../../api/mqtt/route-table.js';
import type { KubeObject } from '../../api/types.js';
import type { SharedInformers } from '../client/shared-informers.js';
import { podsOnNode } from '../controllers/objects/pods-on-node.js';
import type { Store } from '../store/store.js';
import { fingerprintOf } from './agent-forms.js';
import { desiredContentFor, podNetworkOf } from './desired-state.js';
import type { PublishFn } from './publish.js';
import { segmentOf } from './segments.js';
import { type Informers, watchDesiredInputs } from './watched-kinds.js';

interface Published {
  revision: number;
  print: DesiredPrint;
  /** Bytes of the last snapshot, and of the deltas published since. */
  snapshotBytes: number;
  deltaBytes: number;
}

export class DesiredStatePublisher {
  private readonly dirty = new Set<string>();
  private readonly forced = new Set<string>();
  /** What a gateway said it holds, asked for before this hub published it anything. */
  private readonly held = new Map<string, { revision: number; digest: string }>();
  private readonly published = new Map<string, Published>();
  private readonly acks = new Map<string, DesiredStateAck>();
  private readonly kinds: Informers;
  private timer: NodeJS.Timeout | undefined;
  /** When the last flush ran (performance.now()): the next one waits for its window to end. */
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private stopped = false;
  private readonly reported = new WeakSet<KubeObject>();

  constructor(
    informers: SharedInformers,
    private readonly store: Store,
    private readonly publish: PublishFn,
    private readonly log: Logger,
    private readonly coalesceMs = 75,
    private readonly onPublished: (node: string) => void = () => {},
    /** A pod left out of its gateway's desired state because it could not be read. */
    private readonly podFailed: (pod: KubeObject, error: unknown) => void = () => {},
  ) {
    this.kinds = watchDesiredInputs(informers, { node: (name) => this.markDirty(name) });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * An agent asks for its state: holding the current revision it gets an empty delta at once;
   * otherwise the full snapshot goes out at the next flush (same revision when nothing changed).
   */
  resync(node: string, appliedRevision?: number, appliedDigest?: string): void {
    const published = this.published.get(node);
    if (!published && appliedRevision !== undefined && appliedDigest !== undefined) {
      this.held.set(node, { revision: appliedRevision, digest: appliedDigest });
    }
    if (published && appliedRevision === published.revision && !this.dirty.has(node)) {
      this.publishCurrent(node, published.revision);
      return;
    }
    this.forced.add(node);
    this.markDirty(node);
  }

  /** The empty delta: "the revision you hold is current". */
  private publishCurrent(node: string, revision: number): void {
    const current = { protocol: protocolVersion, node, from: revision, revision };
    this.publish(buildTopic(routes.desiredDelta, { node }), encodePayload(current), {
      qos: routes.desiredDelta.qos,
      retain: false,
    });
  }

  recordAck(node: string, ack: DesiredStateAck): void {
    const previous = this.acks.get(node);
    if (previous && previous.revision > ack.revision) return;
    this.acks.set(node, ack);
    if (ack.error) this.log.warn(`node ${node} could not apply revision ${ack.revision}: ${ack.error}`);
    this.onPublished(node);
  }

  appliedRevision(node: string): number | undefined {
    const ack = this.acks.get(node);
    return ack && !ack.error ? ack.revision : undefined;
  }

  publishedRevision(node: string): number | undefined {
    return this.published.get(node)?.revision;
  }

  /** Whether a change of the node's state waits for the end of the window to go out. */
  pending(node: string): boolean {
    return this.dirty.has(node);
  }

  private markDirty(node: string): void {
    // What the informers replay while this publisher is being built (`kinds` not set yet) goes
    // to no one: the broker lets gateways in only once the hub is up (RunningBroker.listen),
    // and each gateway asks for its state after its CONNACK.
    // Publishing a snapshot for every stored node at the start cost a restart with 10,000
    // gateways 10 s, and each gateway then got its state twice.
    if (this.stopped || this.kinds === undefined) return;
    this.dirty.add(node);
    // A pod bound to an idle gateway was waiting the whole window (75 ms of its start) for
    // nothing; during a rollout the window is always open, and flushes stay one per window.
    const wait = Math.max(0, this.lastFlushAt + this.coalesceMs - performance.now());
    this.timer ??= setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    this.lastFlushAt = performance.now();
    const nodes = [...this.dirty];
    this.dirty.clear();
    for (const node of nodes) {
      try {
        this.publishNode(node, podsOnNode(this.kinds.pods, node));
      } catch (err) {
        this.log.warn(`desired state of node ${node} not published: ${(err as Error).message}`);
      }
    }
  }

  /** Once per stored version of the pod: the same pod fails again at every flush of its node. */
  private reportOnce(pod: KubeObject, error: unknown): void {
    if (this.reported.has(pod)) return;
    this.reported.add(pod);
    this.podFailed(pod, error);
  }

  private publishNode(node: string, pods: KubeObject[]): void {
    const topic = buildTopic(routes.desired, { node });
    const nodeObj = this.kinds.nodes.get(node);
    if (pods.length === 0 && !nodeObj) {
      // Neither a Node nor pods any more: clear the retained message.
      if (this.published.delete(node)) this.publish(topic, Buffer.alloc(0), { qos: 1, retain: true });
      return;
    }
    const lookup = {
      configMap: (ns: string, name: string) => this.kinds.configMaps.get(`${ns}/${name}`),
      secret: (ns: string, name: string) => this.kinds.secrets.get(`${ns}/${name}`),
    };
    const content = desiredContentFor(
      node,
      pods,
      lookup,
      podNetworkOf(nodeObj),
      segmentOf(nodeObj),
      (pod, error) => this.reportOnce(pod, error),
    );
    const state: DesiredState = { protocol: protocolVersion, revision: 0, ...content };
    const print = printOf(state, fingerprintOf);
    state.digest = digestOf(print);
    const previous = this.published.get(node);
    const forced = this.forced.delete(node);
    const held = this.held.get(node);
    this.held.delete(node);
    if (!previous && held && held.digest === state.digest) {
      print.revision = held.revision;
      // No snapshot since this hub started: the node's next change goes out as one.
      this.published.set(node, { revision: held.revision, print, snapshotBytes: 0, deltaBytes: 0 });
      this.publishCurrent(node, held.revision);
      this.onPublished(node);
      return;
    }
    const unchanged = previous !== undefined && samePrint(previous.print, print);
    if (unchanged && !forced) return;
    const revision = unchanged
      ? previous.revision
      : Math.max(Number(this.store.currentResourceVersion()), (previous?.revision ?? 0) + 1);
    state.revision = print.revision = revision;
    if (previous && !forced) {
      const delta = encodePayload(diffDesired(previous.print, state, fingerprintOf));
      if (previous.deltaBytes + delta.byteLength <= previous.snapshotBytes) {
        this.publish(buildTopic(routes.desiredDelta, { node }), delta, {
          qos: routes.desiredDelta.qos,
          retain: false,
        });
        this.published.set(node, {
          ...previous,
          revision,
          print,
          deltaBytes: previous.deltaBytes + delta.byteLength,
        });
        this.onPublished(node);
        return;
      }
    }
    const payload = encodePayload(state);
    if (payload.byteLength > routes.desired.maxBytes) {
      this.log.warn(
        `desired state of node ${node} is ${payload.byteLength} bytes, over the ${routes.desired.maxBytes} limit; not published`,
      );
      return;
    }
    this.publish(topic, payload, { qos: routes.desired.qos, retain: routes.desired.retain });
    this.published.set(node, { revision, print, snapshotBytes: payload.byteLength, deltaBytes: 0 });
    this.onPublished(node);
  }
}

/** The content's digest (DesiredState.digest): its objects' fingerprints and its network. */
function digestOf(print: DesiredPrint): string {
  const hash = createHash('sha1').update(print.network);
  for (const list of desiredStateLists) {
    const keys = [...print.objects[list].keys()].sort();
    for (const key of keys) hash.update(`\n${list}\t${key}\t${print.objects[list].get(key)}`);
  }
  return hash.digest('base64url');
}
