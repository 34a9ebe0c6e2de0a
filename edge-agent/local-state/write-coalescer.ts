// Flash-friendly write scheduling: a change is written after a quiet `debounceMs`, and never
// sooner than `minIntervalMs` after the previous write, however often things change. What
// changes in between is written once, by the next write (the writer reads the current state).
import type { Timers } from './timers.js';

export interface CoalescingOptions {
  debounceMs: number;
  minIntervalMs: number;
}

export class WriteCoalescer {
  private timer: unknown;
  private writing: Promise<void> | undefined;
  private dirty = false;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly options: CoalescingOptions,
    private readonly timers: Timers,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Something changed: a write will follow. */
  changed(): void {
    this.dirty = true;
    if (this.timer === undefined && !this.writing && !this.stopped) this.schedule();
  }

  /** Writes now if anything changed (on stop), after any write in progress. */
  async flush(): Promise<void> {
    this.cancel();
    await this.writing;
    this.cancel(); // the write that just ended may have scheduled the next one
    if (this.dirty) await this.run();
  }

  /** Resolves when no write is in progress. */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private schedule(): void {
    const { debounceMs, minIntervalMs } = this.options;
    const delay = Math.max(debounceMs, this.lastWriteAt + minIntervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
  }

  private cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): Promise<void> {
    this.dirty = false;
    this.lastWriteAt = this.timers.now();
    this.writing = this.write()
      .catch((err: Error) => {
        this.dirty = true; // try again with the next write
        this.onError(err);
      })
      .finally(() => {
        this.writing = undefined;
        if (this.dirty && !this.stopped) this.schedule();
      });
    return this.writing;
  }
}
