// Background work in turns, so the API is answered between them. The hub serves HTTP on the same
// thread that runs its controllers, and Node reads a socket only between tasks. A reconcile
// started as a microtask runs inside whatever task queued it: one store commit that announced
// 200 changes, or the node monitor's pass over 10,000 gateways, ran every reconcile it queued
// before the next request was even read (while 100,000 pods rolled out, a GET of one pod waited
// 72 ms at p50, 350 ms at p99). Work started here runs in turns of about `sliceMs` per pass of
// the event loop, in the order it was queued; the loop reads its sockets between turns. On an
// idle hub a pass takes microseconds, so a lone reconcile hardly waits.
//
// Each task runs in an immediate of its own, and Node runs the microtasks a task leaves before
// the next immediate: the clock read before each task sees what the previous one cost, its
// continuations included, up to its first real wait (a store write). Reconciles that walk many
// objects give the turn back on their own (`yieldTurn`) every few milliseconds.

/** Immediates queued at a time to take tasks; more follow as they run. */
const stepsAtOnce = 256;

export class BackgroundTurns {
  private readonly queued: Array<(() => void) | undefined> = [];
  private head = 0;
  /** Immediates queued that will take a task (at most `stepsAtOnce`). */
  private steps = 0;
  /** The pass under way: its deadline, or undefined between passes. */
  private deadline: number | undefined;

  constructor(private readonly sliceMs: number) {}

  /** Start `task` in a coming turn. It reports its own failures: a throw here is dropped. */
  start(task: () => void): void {
    this.queued.push(task);
    this.queueSteps();
  }

  /** Tasks queued and not yet started. */
  get waiting(): number {
    return this.queued.length - this.head;
  }

  /** Resolves in a coming turn: a long walk awaits it every few milliseconds. */
  yieldTurn(): Promise<void> {
    return new Promise((resolve) => this.start(resolve));
  }

  private queueSteps(): void {
    while (this.steps < Math.min(this.waiting, stepsAtOnce)) {
      this.steps++;
      setImmediate(this.step);
    }
  }

  /**
   * Immediates queued during a pass of the event loop run in the next one, in order: the first
   * step of a pass sets its deadline and queues the mark that ends it ahead of every later step.
   */
  private readonly step = (): void => {
    this.steps--;
    const now = performance.now();
    if (this.deadline === undefined) {
      this.deadline = now + this.sliceMs;
      setImmediate(this.endPass);
    }
    if (now < this.deadline && this.head < this.queued.length) {
      const task = this.queued[this.head]!;
      this.queued[this.head++] = undefined;
      try {
        task();
      } catch {
        // Tasks report their own failures; one that does not must not stop the others.
      }
    }
    if (this.head === this.queued.length) {
      this.queued.length = 0;
      this.head = 0;
    } else if (this.head >= 4_096) {
      this.queued.splice(0, this.head);
      this.head = 0;
    }
    // Past the deadline the steps left in this pass take nothing; the next pass gets new ones.
    if (this.steps === 0) this.queueSteps();
  };

  private readonly endPass = (): void => {
    this.deadline = undefined;
  };
}

/** The hub's one set of turns: every controller's work queue starts its reconciles here. */
export const backgroundTurns = new BackgroundTurns(5);

/** A reconcile walking more objects than this gives the turn back between its walks. */
export const longWalk = 2_000;

/**
 * `work` over `items` in slices of `longWalk`, giving the turn back between slices: one walk
 * over the 100,000 pods of a ReplicaSet (claiming them, counting them) held the event loop for
 * 100-200 ms at a time, and every API request waited behind it (the longest passes of a 10,000-
 * gateway rollout). Between slices the informers may move on; the walk sees the objects it was
 * given, as any sync works on a snapshot.
 */
export async function inTurns<T, R>(items: readonly T[], work: (slice: readonly T[]) => R): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += longWalk) {
    if (start > 0) await backgroundTurns.yieldTurn();
    results.push(work(items.slice(start, start + longWalk)));
  }
  return results;
}
