// A work queue of keys for level-based controllers: a key queued twice is reconciled once,
// one reconcile per key at a time, failures retried with exponential back-off.
import { backoffDelay } from '../../api/backoff.js';
import { backgroundTurns } from './background-turns.js';
import { controllerMetrics } from './controller-metrics.js';

export interface Requeue {
  /** Run again after this delay (to poll state it cannot watch); negative: no need. */
  requeueAfterMs: number;
  /**
   * Whatever queues the key meanwhile, run it no sooner than this after the reconcile ended: a
   * reconcile whose cost grows with the objects it counts (a ReplicaSet of 100,000 pods) would
   * otherwise run once per change to any of them and keep the hub busy with nothing else.
   */
  quietMs?: number;
}

export type Reconcile = (key: string) => Promise<void> | Promise<Requeue | undefined>;

export interface WorkQueueOptions {
  /** The queue's name in the hub's metrics (workqueue_* {name}): the controller's. */
  name?: string;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onError?: (key: string, err: unknown) => void;
}

export class WorkQueue {
  private readonly pending = new Set<string>();
  /** When each pending key was queued (performance.now()), for workqueue_queue_duration_seconds. */
  private readonly queuedAt = new Map<string, number>();
  private readonly name: string;
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Keys in a quiet period (Requeue.quietMs): when they may run again. */
  private readonly quietUntil = new Map<string, number>();
  private readonly quietRuns = new Map<string, NodeJS.Timeout>();
  /** Keys changed while running that must not wait out a quiet period. */
  private readonly urgent = new Set<string>();
  private stopped = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly reconcile: Reconcile,
    private readonly options: WorkQueueOptions = {},
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.name = options.name ?? 'unnamed';
  }

  /**
   * Queue `key`. `now`: past any quiet period (Requeue.quietMs) — for changes the controller must
   * act on at once (its object's spec, or the last of the creations it was waiting for); other
   * changes (the status of one of its many pods) wait the quiet period out.
   */
  add(key: string, now = false): void {
    if (this.stopped) return;
    if (this.active.has(key)) {
      this.dirty.add(key);
      if (now) this.urgent.add(key);
      return;
    }
    if (this.pending.has(key)) {
      const quiet = this.quietRuns.get(key);
      if (now && quiet) {
        clearTimeout(quiet);
        this.quietRuns.delete(key);
        this.startRun(key);
      }
      return;
    }
    this.pending.add(key);
    const metrics = controllerMetrics();
    if (metrics) {
      this.queuedAt.set(key, performance.now());
      metrics.queueAdded(this.name);
      metrics.queueDepth(this.name, this.pending.size);
    }
    const wait = now ? 0 : (this.quietUntil.get(key) ?? 0) - Date.now();
    if (wait <= 0) {
      this.startRun(key);
      return;
    }
    this.quietRuns.set(
      key,
      setTimeout(() => {
        this.quietRuns.delete(key);
        this.startRun(key);
      }, wait),
    );
  }

  addAfter(key: string, delayMs: number): void {
    if (this.stopped || this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  stop(): void {
    this.stopped = true;
    for (const t of [...this.timers.values(), ...this.quietRuns.values()]) clearTimeout(t);
    this.timers.clear();
    this.quietRuns.clear();
    this.pending.clear();
    this.queuedAt.clear();
  }

  /** Resolves once nothing is queued or running (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.active.size > 0) await new Promise((r) => setTimeout(r, 5));
  }

  /** In the hub's background turns, so that API requests are read between reconciles. */
  private startRun(key: string): void {
    backgroundTurns.start(() => void this.run(key));
  }

  private async run(key: string): Promise<void> {
    this.pending.delete(key);
    if (this.stopped) return;
    this.active.add(key);
    const metrics = controllerMetrics();
    const started = performance.now();
    if (metrics) {
      metrics.queueWaited(this.name, (started - (this.queuedAt.get(key) ?? started)) / 1000);
      metrics.queueDepth(this.name, this.pending.size);
      this.queuedAt.delete(key);
    }
    let failed = false;
    try {
      const result = await this.reconcile(key);
      this.failures.delete(key);
      if (result?.quietMs) this.quietUntil.set(key, Date.now() + result.quietMs);
      else this.quietUntil.delete(key);
      if (result && result.requeueAfterMs >= 0) this.addAfter(key, result.requeueAfterMs);
    } catch (err) {
      // A reconcile cut short by shutdown (the store already closed) is neither reported nor retried.
      if (this.stopped) return;
      failed = true;
      const count = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, count);
      try {
        this.options.onError?.(key, err);
      } catch {
        // Reporting a failure must never end the queue (nor, unhandled, the process).
      }
      this.addAfter(key, backoffDelay(count, { initialMs: this.baseDelayMs, maxMs: this.maxDelayMs }));
    } finally {
      metrics?.reconciled(this.name, (performance.now() - started) / 1000, failed);
      this.active.delete(key);
      const now = this.urgent.delete(key);
      if (this.dirty.delete(key)) this.add(key, now);
    }
  }
}

/**
 * `result` with the quiet period of a reconcile that went through `counted` objects: 1 ms per 20
 * (5 s at 100,000 pods, where a ReplicaSet sync costs over 100 ms; nothing below 20).
 */
export function withQuietPeriod(result: Requeue | undefined, counted: number): Requeue | undefined {
  const quietMs = Math.floor(counted / 20);
  if (quietMs === 0) return result;
  return { requeueAfterMs: result?.requeueAfterMs ?? -1, quietMs };
}
