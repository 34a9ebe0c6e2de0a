import type { Logger } from '../../api/logger.js';
// What the agent runs from: its own desired state (hub-link/desired-sync.ts) joined with the
// shared Services, EndpointSlices and segment pod routes (hub-link/shared-sync.ts), handed to
// the consumers of desired-consumers.ts in their order. Own changes apply at once; shared
// changes come in bursts (the retained set after a subscription) and are applied together
// shortly after. Every applied view is kept in local state, so a reboot with the hub down has
// its pods, Services and routes: `replay` applies that kept view at start-up, through the same
// list.
import type { AgentDesired, DesiredState } from '../../api/mqtt/payloads/desired-state.js';
import type { SharedSync } from '../hub-link/shared-sync.js';
import type { AppliedDesired, DesiredConsumer } from './desired-consumers.js';

export interface DesiredViewDeps {
  /** In order: desired-consumers.ts. */
  consumers: readonly DesiredConsumer[];
  store: { saveDesired(state: AgentDesired): Promise<void> };
  /** The node's segment changed (subscribe to its routes). */
  segmentChanged: () => void;
  log: Logger;
}

/** Shared changes closer together than this are applied as one. */
const sharedCoalesceMs = 50;

export class DesiredView {
  private own: DesiredState | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** DNS SOA serial: grows with every applied view, own or shared. */
  private serial: number;

  constructor(
    private readonly loaded: AgentDesired | undefined,
    private readonly shared: SharedSync,
    private readonly deps: DesiredViewDeps,
  ) {
    this.own = loaded;
    this.serial = loaded?.revision ?? 0;
  }

  current(): AgentDesired | undefined {
    return this.own && { ...this.own, ...this.shared.view() };
  }

  /**
   * Offline autonomy: every consumer is given what local state kept, before (and without) the
   * hub. Nothing kept: nothing to give (the consumers start empty).
   */
  replay(): void {
    if (!this.loaded) return;
    const refusals = this.applyTo('own', this.serial);
    for (const refusal of refusals) this.deps.log.info(`${refusal}`);
    const { loaded } = this;
    this.deps.log.info(
      `running ${loaded.pods.length} pod(s) of revision ${loaded.revision} from local state`,
    );
  }

  /** Keeps a newly received own state (before it is applied: local state first). */
  async saveOwn(own: DesiredState): Promise<void> {
    this.own = own;
    if (this.shared.setSegment(own.segment)) this.deps.segmentChanged();
    await this.save();
  }

  /** Applies the own state, and the shared state with it; throws when a consumer refused it. */
  applyOwn(own: DesiredState): void {
    this.own = own;
    const refusals = this.applyTo('own', this.nextSerial());
    if (refusals.length > 0) throw new Error(refusals.join('; '));
  }

  /** Services, slices or routes changed: applied together with the next few. */
  sharedChanged(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      for (const refusal of this.applyTo('shared', this.nextSerial())) this.deps.log.info(`${refusal}`);
      void this.save();
    }, sharedCoalesceMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private nextSerial(): number {
    this.serial = Math.max(this.serial + 1, this.own?.revision ?? 0);
    return this.serial;
  }

  /** Every consumer that reads what changed, in order; one refusing does not stop the others. */
  private applyTo(changed: 'own' | 'shared', serial: number): string[] {
    const desired: AppliedDesired = { own: this.own, shared: this.shared.view(), serial };
    const refusals: string[] = [];
    for (const consumer of this.deps.consumers) {
      if (changed === 'shared' && consumer.reads === 'own') continue;
      try {
        consumer.apply(desired);
      } catch (err) {
        const revision = changed === 'own' ? desired.own?.revision : undefined;
        const what = revision === undefined ? `shared state ${serial}` : `revision ${revision}`;
        refusals.push(`${consumer.name} refused ${what}: ${(err as Error).message}`);
      }
    }
    return refusals;
  }

  private async save(): Promise<void> {
    const view = this.current();
    if (!view) return;
    await this.deps.store.saveDesired(view).catch((err: Error) => {
      this.deps.log.warn(`desired state ${view.revision} not kept in local state: ${err.message}`);
    });
  }
}
