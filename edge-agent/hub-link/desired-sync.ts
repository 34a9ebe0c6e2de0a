// Desired state in: level-based and idempotent. A desired state is applied only when its
// revision is newer than the one applied (api/mqtt/revision.ts), so the retained copy after a
// reconnect, a QoS 1 redelivery or a late older message change nothing. Applying means: keep
// it in local state (the agent runs from it when the hub is away), set up the pod network for
// its pod CIDR, hand it to the pod manager, acknowledge the revision. Messages are handled one at a time, in arrival order.
import { decodePayload } from '../../api/mqtt/codec.js';
import type { DesiredState, DesiredStateAck, ResyncRequest } from '../../api/mqtt/payloads/desired-state.js';
import { isNewerRevision } from '../../api/mqtt/revision.js';
import { routes } from '../../api/mqtt/route-table.js';
import type { PodManagerApi } from '../pods/pod-manager-contract.js';

export type DesiredOutcome = 'applied' | 'duplicate' | 'stale' | 'invalid' | 'other-node' | 'cleared';

export interface DesiredSyncDeps {
  nodeName: string;
  podManager: Pick<PodManagerApi, 'setDesired'>;
  /** Writes the CNI config for the node's pod CIDR (never throws). */
  podNetwork?: { apply(podCidr: string | undefined): void };
  /** Routes to the other gateways' pod networks (never throws). */
  podRoutes?: {
    apply(routes: NonNullable<DesiredState['podRoutes']>, ownPodCidr: string | undefined): unknown;
  };
  store: { saveDesired(state: DesiredState): Promise<void> };
  /** Best effort: an ack lost with the connection is sent again for the retained copy. */
  ack(ack: DesiredStateAck): void;
  log: (line: string) => void;
  now?: () => number;
}

export class DesiredSync {
  private appliedRevision: number | undefined;
  private doubt: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  /** `loaded`: the state local state held at start, already handed to the pod manager. */
  constructor(
    private readonly deps: DesiredSyncDeps,
    loaded: DesiredState | undefined,
    doubt?: string,
  ) {
    this.now = deps.now ?? Date.now;
    this.appliedRevision = loaded?.revision;
    this.doubt = doubt ?? (loaded ? undefined : 'no desired state yet');
  }

  get applied(): number | undefined {
    return this.appliedRevision;
  }

  /** A resync request when the agent has reason to doubt what it holds; cleared by the next apply. */
  resyncRequest(): ResyncRequest | undefined {
    if (!this.doubt) return undefined;
    const request: ResyncRequest = { observedAt: this.now(), reason: this.doubt };
    if (this.appliedRevision !== undefined) request.appliedRevision = this.appliedRevision;
    return request;
  }

  receive(payload: Buffer): Promise<DesiredOutcome> {
    const next = this.queue.then(() => this.handle(payload));
    this.queue = next.catch(() => {});
    return next;
  }

  private async handle(payload: Buffer): Promise<DesiredOutcome> {
    const deps = this.deps;
    // An empty retained message: the hub cleared the topic (Node deleted). Pods keep running
    // from what was applied until the hub says otherwise.
    if (payload.byteLength === 0) return 'cleared';
    const decoded = decodePayload(routes.desired, payload);
    if (!decoded.ok) {
      deps.log(`hub link: desired state refused: ${decoded.error}`);
      this.doubt = 'a desired state failed validation';
      const revision = revisionOf(payload);
      if (revision !== undefined) deps.ack({ revision, observedAt: this.now(), error: decoded.error });
      return 'invalid';
    }
    const state = decoded.value;
    if (state.node !== deps.nodeName) {
      deps.log(`hub link: desired state for node ${state.node} ignored (this is ${deps.nodeName})`);
      return 'other-node';
    }
    if (!isNewerRevision(state.revision, this.appliedRevision)) {
      // The same revision again (retained copy, redelivery): the hub may have lost our ack.
      if (state.revision === this.appliedRevision)
        deps.ack({ revision: state.revision, observedAt: this.now() });
      return state.revision === this.appliedRevision ? 'duplicate' : 'stale';
    }
    this.appliedRevision = state.revision;
    this.doubt = undefined;
    await deps.store.saveDesired(state).catch((err: Error) => {
      deps.log(`hub link: desired state ${state.revision} not kept in local state: ${err.message}`);
    });
    deps.podNetwork?.apply(state.podCIDR);
    deps.podRoutes?.apply(state.podRoutes ?? [], state.podCIDR);
    try {
      deps.podManager.setDesired(state);
    } catch (err) {
      const error = `pod manager refused revision ${state.revision}: ${(err as Error).message}`;
      deps.log(`hub link: ${error}`);
      deps.ack({ revision: state.revision, observedAt: this.now(), error });
      return 'applied';
    }
    deps.ack({ revision: state.revision, observedAt: this.now() });
    return 'applied';
  }
}

/** The revision of a payload that failed validation, when it has one, for the error ack. */
function revisionOf(payload: Buffer): number | undefined {
  try {
    const revision = (JSON.parse(payload.toString('utf8')) as { revision?: unknown }).revision;
    return Number.isSafeInteger(revision) && (revision as number) >= 0 ? (revision as number) : undefined;
  } catch {
    return undefined;
  }
}
