// The pods waiting to be scheduled, as kube-scheduler's scheduling queue in miniature: an
// active queue (FIFO, each pod once), and pods waiting out a back-off after a failed attempt
// (initial × 2^(attempts-1), capped). A cluster change that may let waiting pods fit (a node
// added or updated, a pod removed) moves them all back to the active queue at once.
import { backoffDelay } from '../../api/backoff.js';

export interface SchedulingQueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export class SchedulingQueue {
  // A Set iterates in insertion order: a FIFO without duplicates.
  private readonly active = new Set<string>();
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private readonly attempts = new Map<string, number>();
  private wake: (() => void) | undefined;
  private closed = false;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(options: SchedulingQueueOptions = {}) {
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
  }

  /** A new or changed pod: schedule it as soon as possible. */
  add(key: string): void {
    if (this.closed) return;
    this.stopWaiting(key);
    this.active.add(key);
    this.wake?.();
  }

  /** The attempt failed: try again after the pod's back-off, or sooner if the cluster changes. */
  backOff(key: string): number {
    const attempts = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempts);
    const delay = backoffDelay(attempts, { initialMs: this.initialBackoffMs, maxMs: this.maxBackoffMs });
    if (this.closed) return delay;
    this.active.delete(key);
    this.stopWaiting(key);
    const timer = setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, delay);
    timer.unref();
    this.waiting.set(key, timer);
    return delay;
  }

  /** The cluster changed in a way that may let waiting pods fit: retry them all now. */
  moveAllToActive(): void {
    for (const key of [...this.waiting.keys()]) this.add(key);
  }

  /** The pod was bound or deleted: forget it, back-off history included. */
  remove(key: string): void {
    this.active.delete(key);
    this.stopWaiting(key);
    this.attempts.delete(key);
  }

  has(key: string): boolean {
    return this.active.has(key) || this.waiting.has(key);
  }

  get activeCount(): number {
    return this.active.size;
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  /** The next pod to schedule; undefined once the queue is closed. */
  async pop(): Promise<string | undefined> {
    while (!this.closed) {
      const next = this.active.values().next();
      if (!next.done) {
        this.active.delete(next.value);
        return next.value;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
    return undefined;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    this.active.clear();
    this.wake?.();
  }

  private stopWaiting(key: string): void {
    const timer = this.waiting.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.waiting.delete(key);
  }
}
