// Timers driven by hand: `advance(ms)` moves the clock and runs what came due, in time order,
// letting each write finish before the next timer fires. A simulated day takes milliseconds.
import type { Timers } from '../../../edge-agent/local-state/timers.js';

interface Pending {
  id: number;
  at: number;
  run: () => void;
}

export class ManualTimers implements Timers {
  private time: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms), run };
    this.pending.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }

  get scheduled(): number {
    return this.pending.length;
  }

  /**
   * Moves time forward by `ms`, running due timers; after each, `afterEach` (default: a few
   * turns of the event loop) lets the work it started finish.
   */
  async advance(ms: number, afterEach: () => Promise<void> = settle): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      const due = this.pending.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((t) => t !== due);
      this.time = due.at;
      due.run();
      await afterEach();
    }
    this.time = until;
  }
}

/** Lets pending promise chains (and nedb's file I/O) finish. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
