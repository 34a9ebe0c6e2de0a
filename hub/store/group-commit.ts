// Group commit: writes that arrive while the disk is busy with earlier ones are persisted together
// in the next round, so the store's throughput is not one disk round trip per write (one at a time,
// a rollout was capped near 1,200 writes a second, each waiting ~300 ms in line). Per write the
// contract stays what it was: checked against the committed state, given the next resourceVersion,
// persisted, then applied and announced — in resourceVersion order — before its promise settles.
//
// Two writes to the same object never share a round: the second waits for the first to be applied,
// so it is checked (preconditions, existence) against what readers can see. Writes to different
// objects do not depend on each other, so a failed round fails only its own writes.

/** A round's outcome per write, in the order given: undefined for persisted, else the error. */
export type RoundResult = ReadonlyArray<unknown>;

interface Queued<W> {
  write: W;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitOptions<W> {
  /** Persists one round of writes (in order); never rejects, reports each write's error instead. */
  persist: (writes: W[]) => Promise<RoundResult>;
  /** Applies a persisted write to the visible state and announces it. */
  apply: (write: W) => void;
  /**
   * At most this many writes per round (default 200): a round is applied and announced in one
   * go, every watcher's handlers included, and other work waits meanwhile.
   */
  maxRound?: number;
}

export class GroupCommit<W> {
  private queued: Queued<W>[] = [];
  /** Settles when the object's write in flight has been applied or has failed. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private running: Promise<void> | undefined;
  private readonly maxRound: number;

  constructor(private readonly options: GroupCommitOptions<W>) {
    this.maxRound = options.maxRound ?? 200;
  }

  /**
   * Once no earlier write to `objectId` is in flight, `prepare` runs (synchronously: checks,
   * resourceVersion) and its write joins the next round; resolves once the write is applied.
   * A `prepare` that throws rejects with its error and writes nothing.
   */
  async submit<W2 extends W>(objectId: string, prepare: () => W2): Promise<W2> {
    for (let earlier = this.inFlight.get(objectId); earlier; earlier = this.inFlight.get(objectId)) {
      await earlier;
    }
    const write = prepare();
    const done = new Promise<void>((resolve, reject) => this.queued.push({ write, resolve, reject }));
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(objectId, settled);
    void settled.then(() => {
      if (this.inFlight.get(objectId) === settled) this.inFlight.delete(objectId);
    });
    this.running ??= this.run();
    await done;
    return write;
  }

  /** Resolves once every write submitted so far has settled. */
  async idle(): Promise<void> {
    while (this.running || this.inFlight.size > 0) {
      await this.running;
      await Promise.all(this.inFlight.values());
    }
  }

  private async run(): Promise<void> {
    // Start on the next microtask, so that writes submitted in the same turn share the first round.
    await Promise.resolve();
    try {
      while (this.queued.length > 0) {
        const round = this.queued.splice(0, this.maxRound);
        const results = await this.options
          .persist(round.map((q) => q.write))
          .catch((err: unknown) => round.map(() => err ?? new Error('persisting failed')));
        for (const [i, q] of round.entries()) {
          const err = results[i];
          if (err !== undefined) {
            q.reject(err);
            continue;
          }
          try {
            this.options.apply(q.write);
            q.resolve();
          } catch (applyErr) {
            q.reject(applyErr); // the others of the round are applied all the same
          }
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}
