import type { Logger } from '../../api/logger.js';
// Since when the agent has been without its hub. "In touch" means more than a TCP connection:
// the hub's desired state arrived on the current connection (the retained copy comes with every
// SUBSCRIBE [MQTT-3.8.4-3]), so the agent knows which of its pods the hub still wants before it
// starts any it held stopped. The time is kept in local state, so an agent restart or a reboot
// while offline keeps counting from the real start of the outage. An agent that starts without
// a kept time (it was in touch, or stopped cleanly) counts from its own start, but says nothing
// until its first attempt to reach the hub is decided: an agent restarted for an upgrade must
// not stop pods in the moment before it reconnects.
import type { HubContactView } from '../pods/disconnect-holds.js';

export interface HubContactDeps {
  now: () => number;
  /** What local state kept from the last run; undefined: the agent was in touch then. */
  kept: number | undefined;
  /** Keeps the time (undefined: in touch) in local state; a failed write is only logged. */
  keep: (offlineSince: number | undefined) => Promise<void>;
  log: Logger;
}

export class HubContact implements HubContactView {
  private since: number | undefined;
  /** False until the first connection attempt is decided, when nothing was kept. */
  private decided: boolean;
  private regainedCount = 0;
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly deps: HubContactDeps) {
    this.since = deps.kept ?? deps.now();
    this.decided = deps.kept !== undefined;
    // Kept at once: a gateway that reboots over and over without reaching the hub still counts
    // from the first start.
    if (deps.kept === undefined) this.keep();
  }

  offlineSince(): number | undefined {
    return this.decided ? this.since : undefined;
  }

  get regained(): number {
    return this.regainedCount;
  }

  /** The connection to the hub ended (or an attempt failed); the earliest loss counts. */
  lost(): void {
    this.decided = true;
    if (this.since !== undefined) return;
    this.since = this.deps.now();
    this.keep();
  }

  /** A desired state arrived on a live connection. */
  heard(): void {
    this.decided = true;
    if (this.since === undefined) return;
    this.since = undefined;
    this.regainedCount++;
    this.keep();
  }

  /** Resolves once every change so far is in local state (tests, shutdown). */
  flushed(): Promise<void> {
    return this.writes;
  }

  private keep(): void {
    const value = this.since;
    this.writes = this.writes
      .then(() => this.deps.keep(value))
      .catch((err: Error) => this.deps.log.warn(`offline time not kept in local state: ${err.message}`));
  }
}
