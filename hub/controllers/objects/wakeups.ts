// Timed wake-ups for controller keys. Unlike WorkQueue.addAfter, the earliest request wins, so
// a long wait (a deadline an hour away) never hides a short one (a back-off of ten seconds).
// Delays come from the controller's Clock; the timers themselves are real and unref'd.

/** Longer waits are cut into steps: setTimeout overflows past 2^31 ms, and clocks get adjusted. */
const maxStepMs = 60 * 60 * 1000;

export class Wakeups {
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private stopped = false;

  constructor(private readonly wake: (key: string) => void) {}

  /** Wakes `key` after `delayMs`, unless it is already due to wake earlier. */
  after(key: string, delayMs: number): void {
    if (this.stopped) return;
    const delay = Math.max(0, Math.min(delayMs, maxStepMs));
    const at = Date.now() + delay;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.wake(key);
    }, delay);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  stop(): void {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
