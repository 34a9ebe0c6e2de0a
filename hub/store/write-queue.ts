// Writes run one at a time, in arrival order, so that resourceVersions are handed out and events
// emitted in the order the writes were accepted — the guarantee etcd's single Raft log gives.

export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Run `task` after every task queued before it; a failed task does not stop later ones. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
