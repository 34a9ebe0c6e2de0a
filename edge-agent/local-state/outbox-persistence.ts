import { type Logger, silentLogger } from '../../api/logger.js';
// Keeps the stored outbox following the in-memory one, coalesced: online, entries are usually
// delivered before the next write comes due and never touch the disk; offline, a burst of
// statuses costs one write per `minIntervalMs`. A crash loses at most that window.
import type { Outbox } from '../hub-link/outbox.js';
import type { LocalState } from './local-state.js';
import { systemTimers, type Timers } from './timers.js';
import { type CoalescingOptions, WriteCoalescer } from './write-coalescer.js';

export const defaultOutboxWrites: CoalescingOptions = { debounceMs: 2_000, minIntervalMs: 10_000 };

export class OutboxPersistence {
  private readonly coalescer: WriteCoalescer;

  constructor(
    outbox: Outbox,
    state: LocalState,
    options: CoalescingOptions = defaultOutboxWrites,
    timers: Timers = systemTimers,
    log: Logger = silentLogger,
  ) {
    this.coalescer = new WriteCoalescer(
      () => state.saveOutbox(outbox.list()),
      options,
      timers,
      (err) => log.warn(`outbox not written: ${err.message}`),
    );
  }

  /** The outbox changed (added, replaced or delivered entries). */
  changed(): void {
    this.coalescer.changed();
  }

  /** Resolves when no write is in progress. */
  idle(): Promise<void> {
    return this.coalescer.idle();
  }

  /** Writes what is pending now and stops scheduling (agent stop). */
  async close(): Promise<void> {
    await this.coalescer.flush();
    this.coalescer.stop();
  }
}
