import type { Logger } from '../../api/logger.js';
// Own desired state in: a full snapshot (`desired`, retained) or a delta (`desired/delta`).
// Level-based and idempotent: a snapshot is applied only when its revision is newer than the
// one applied (api/mqtt/revision.ts); a delta only onto exactly its `from` revision. So the
// retained copy after a reconnect, a QoS 1 redelivery or a late older message change nothing,
// and a delta whose base the agent does not hold (one was lost: a reconnect without the
// session, a restart from local state) is a gap: the agent asks for a resync and waits for the
// snapshot. Applying means: keep it in local state (the agent runs from it when the hub is
// away), hand it to the agent's consumers in their order (desired/desired-consumers.ts: the pod
// network, DNS, the service proxy, routes, the pods), acknowledge the revision. Messages are handled one at a time, in arrival order. A desired state of another
// protocol version is refused with one log line (api/mqtt/protocol-version.ts).
import { decodePayload } from '../../api/mqtt/codec.js';
import { applyDelta } from '../../api/mqtt/payloads/desired-delta.js';
import type { DesiredState, DesiredStateAck, ResyncRequest } from '../../api/mqtt/payloads/desired-state.js';
import { protocolMismatch } from '../../api/mqtt/protocol-version.js';
import { isNewerRevision } from '../../api/mqtt/revision.js';
import { routes } from '../../api/mqtt/route-table.js';

/** `current`: the hub confirmed the revision held (a duplicate, or its "you are current" delta). */
export type DesiredOutcome = 'applied' | 'current' | 'stale' | 'gap' | 'invalid' | 'other-node' | 'cleared';

export interface DesiredSyncDeps {
  nodeName: string;
  /**
   * Hands the state to the agent's consumers (desired/desired-view.ts); throws when one refused
   * it, its message naming the consumer: the ack carries it.
   */
  apply(state: DesiredState): void;
  store: { saveDesired(state: DesiredState): Promise<void> };
  /** Best effort: an ack lost with the connection is sent again for the retained copy. */
  ack(ack: DesiredStateAck): void;
  /** Best effort: a gap asks for the full state (again at the next gap or reconnect if lost). */
  resync?(request: ResyncRequest): void;
  log: Logger;
  now?: () => number;
}

export class DesiredSync {
  private held: DesiredState | undefined;
  private doubt: string | undefined;
  private mismatchLogged = false;
  /** The revision a gap resync was asked from, so a burst of deltas asks once. */
  private gapAskedAt: number | undefined | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  /** `loaded`: the state local state held at start, already replayed to the consumers. */
  constructor(
    private readonly deps: DesiredSyncDeps,
    loaded: DesiredState | undefined,
    doubt?: string,
  ) {
    this.now = deps.now ?? Date.now;
    this.held = loaded;
    this.doubt = doubt ?? (loaded ? undefined : 'no desired state yet');
  }

  get applied(): number | undefined {
    return this.held?.revision;
  }

  /**
   * The resync request sent after every CONNACK: deltas may have been lost with the connection,
   * and the hub answers a current agent with an empty delta, so asking costs little.
   */
  resyncRequest(): ResyncRequest {
    const request: ResyncRequest = { observedAt: this.now(), reason: this.doubt ?? 'connected' };
    if (this.applied !== undefined) request.appliedRevision = this.applied;
    if (this.held?.digest !== undefined) request.appliedDigest = this.held.digest;
    return request;
  }

  /** A message on `desired` (snapshot) or `desired/delta`. */
  receive(payload: Buffer, kind: 'snapshot' | 'delta' = 'snapshot'): Promise<DesiredOutcome> {
    const next = this.queue.then(() => (kind === 'snapshot' ? this.snapshot(payload) : this.delta(payload)));
    this.queue = next.catch(() => {});
    return next;
  }

  /** The payload's protocol is not ours: refused (logged once) with an error ack. */
  private mismatched(payload: Buffer): boolean {
    const mismatch = protocolMismatch(fieldOf(payload, 'protocol'), 'agent');
    if (!mismatch) return false;
    if (!this.mismatchLogged) this.deps.log.warn(`desired state refused: ${mismatch}`);
    this.mismatchLogged = true;
    this.doubt = 'the hub speaks another desired-state protocol';
    const revision = fieldOf(payload, 'revision');
    if (revision !== undefined) this.deps.ack({ revision, observedAt: this.now(), error: mismatch });
    return true;
  }

  private refused(payload: Buffer, what: string, error: string): 'invalid' {
    this.deps.log.warn(`${what} refused: ${error}`);
    this.doubt = `a ${what} failed validation`;
    const revision = fieldOf(payload, 'revision');
    if (revision !== undefined) this.deps.ack({ revision, observedAt: this.now(), error });
    return 'invalid';
  }

  private otherNode(node: string): 'other-node' {
    this.deps.log.warn(`desired state for node ${node} ignored (this is ${this.deps.nodeName})`);
    return 'other-node';
  }

  /** The hub confirmed what is held: acknowledged again (it may have lost the ack). */
  private current(revision: number): 'current' {
    this.deps.ack({ revision, observedAt: this.now() });
    return 'current';
  }

  private async snapshot(payload: Buffer): Promise<DesiredOutcome> {
    // An empty retained message: the hub cleared the topic (Node deleted). Pods keep running
    // from what was applied until the hub says otherwise.
    if (payload.byteLength === 0) return 'cleared';
    if (this.mismatched(payload)) return 'invalid';
    const decoded = decodePayload(routes.desired, payload);
    if (!decoded.ok) return this.refused(payload, 'desired state', decoded.error);
    const state = decoded.value;
    if (state.node !== this.deps.nodeName) return this.otherNode(state.node);
    if (!isNewerRevision(state.revision, this.applied)) {
      return state.revision === this.applied ? this.current(state.revision) : 'stale';
    }
    return this.apply(state);
  }

  private async delta(payload: Buffer): Promise<DesiredOutcome> {
    if (this.mismatched(payload)) return 'invalid';
    const decoded = decodePayload(routes.desiredDelta, payload);
    if (!decoded.ok) return this.refused(payload, 'desired-state delta', decoded.error);
    const delta = decoded.value;
    if (delta.node !== this.deps.nodeName) return this.otherNode(delta.node);
    const applied = this.applied;
    // Already there or past it: a redelivery, a late one, or the hub's "you are current".
    if (applied !== undefined && delta.revision <= applied) {
      return delta.revision === applied ? this.current(applied) : 'stale';
    }
    if (this.held === undefined || delta.from !== applied) {
      this.doubt = `missed revisions: holds ${applied ?? 'none'}, got a change from ${delta.from}`;
      if (this.gapAskedAt !== applied) {
        this.gapAskedAt = applied;
        this.deps.resync?.(this.resyncRequest());
      }
      return 'gap';
    }
    return this.apply(applyDelta(this.held, delta));
  }

  private async apply(state: DesiredState): Promise<DesiredOutcome> {
    const deps = this.deps;
    this.held = state;
    this.doubt = undefined;
    this.gapAskedAt = null;
    // Applied while it is being saved (a pod starts without waiting for the disk), acknowledged
    // once saved: the hub takes an ack for "held across a restart". Power lost in between
    // loses at most this revision, which the hub sends again (the agent resyncs on connect).
    const saved = deps.store.saveDesired(state).catch((err: Error) => {
      deps.log.warn(`desired state ${state.revision} not kept in local state: ${err.message}`);
    });
    let error: string | undefined;
    try {
      deps.apply(state);
    } catch (err) {
      error = (err as Error).message;
      deps.log.warn(`${error}`);
    }
    await saved;
    deps.ack({ revision: state.revision, observedAt: this.now(), ...(error !== undefined ? { error } : {}) });
    return 'applied';
  }
}

/** A count field of a payload that may fail validation (revision for the error ack, protocol). */
function fieldOf(payload: Buffer, field: 'revision' | 'protocol'): number | undefined {
  try {
    const value = (JSON.parse(payload.toString('utf8')) as Record<string, unknown>)[field];
    return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
  } catch {
    return undefined;
  }
}
