import type { Logger } from '../../api/logger.js';
// What the agent runs from: its own desired state (desired-sync.ts) joined with the shared
// Services, EndpointSlices and segment pod routes (shared-sync.ts). Own changes apply at once;
// shared changes come in bursts (the retained set after a subscription) and are applied together
// shortly after. Every applied view is kept in local state, so a reboot with the hub down has
// its pods, Services and routes.
import type { AgentDesired, DesiredState } from '../../api/mqtt/payloads/desired-state.js';
import type { ProxyInput } from '../proxy/service-proxy.js';
import type { SharedSync } from './shared-sync.js';

export interface ViewConsumers {
  dns: { update(state: Pick<AgentDesired, 'services' | 'endpointSlices' | 'revision'>): void };
  proxy?: { setDesired(input: ProxyInput): void } | undefined;
  podManager: { setDesired(state: DesiredState): void };
  /** Routes to the pod networks of the segment's other gateways (never throws). */
  podRoutes?: {
    apply(routes: NonNullable<AgentDesired['podRoutes']>, ownPodCidr: string | undefined): unknown;
  };
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
    loaded: AgentDesired | undefined,
    private readonly shared: SharedSync,
    private readonly consumers: ViewConsumers,
  ) {
    this.own = loaded;
    this.serial = loaded?.revision ?? 0;
  }

  current(): AgentDesired | undefined {
    return this.own && { ...this.own, ...this.shared.view() };
  }

  /** Keeps a newly received own state (before it is applied: local state first). */
  async saveOwn(own: DesiredState): Promise<void> {
    this.own = own;
    if (this.shared.setSegment(own.segment)) this.consumers.segmentChanged();
    await this.save();
  }

  /** Applies the own state and the shared state with it. */
  applyOwn(own: DesiredState): void {
    this.own = own;
    this.applyShared();
    this.consumers.podManager.setDesired(own);
  }

  /** Services, slices or routes changed: applied together with the next few. */
  sharedChanged(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.applyShared();
      void this.save();
    }, sharedCoalesceMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private applyShared(): void {
    const { consumers } = this;
    const view = this.shared.view();
    this.serial = Math.max(this.serial + 1, this.own?.revision ?? 0);
    // The DNS table first: a new pod may look up a new Service as soon as it starts.
    consumers.dns.update({ ...view, revision: this.serial });
    const podCIDR = this.own?.podCIDR;
    consumers.proxy?.setDesired(podCIDR ? { ...view, podCIDR } : view);
    void consumers.podRoutes?.apply(view.podRoutes ?? [], this.own?.podCIDR);
  }

  private async save(): Promise<void> {
    const view = this.current();
    if (!view) return;
    await this.consumers.store.saveDesired(view).catch((err: Error) => {
      this.consumers.log.warn(`desired state ${view.revision} not kept in local state: ${err.message}`);
    });
  }
}
