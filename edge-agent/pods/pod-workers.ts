// One worker per pod (kubelet's pod workers): a pod's actions run one list at a time, pods in
// parallel, so a 30 s graceful stop or a slow pull holds up only its own pod. A pass plans a
// pod only when its worker is idle and was already idle when the pass read the runtime — a
// plan made from a snapshot older than the pod's last change would repeat work.
export class PodWorkers {
  private readonly busy = new Map<string, Promise<void>>();
  private readonly finishedAt = new Map<string, number>();
  private sequence = 0;

  /** A point in time for isIdle(); take one before reading the runtime. */
  mark(): number {
    this.sequence += 1;
    return this.sequence;
  }

  isIdle(uid: string, since: number): boolean {
    return !this.busy.has(uid) && (this.finishedAt.get(uid) ?? 0) < since;
  }

  isBusy(uid: string): boolean {
    return this.busy.has(uid);
  }

  dispatch(uid: string, job: () => Promise<void>): Promise<void> {
    const run = (async () => {
      try {
        await job();
      } finally {
        this.busy.delete(uid);
        this.finishedAt.set(uid, this.mark());
      }
    })();
    this.busy.set(uid, run);
    return run;
  }

  forget(uid: string): void {
    if (!this.busy.has(uid)) this.finishedAt.delete(uid);
  }

  async drain(): Promise<void> {
    while (this.busy.size > 0) await Promise.allSettled([...this.busy.values()]);
  }
}
