// Requests still being answered (logs -f now, exec later), by request id, so that a cancel
// request from the hub (api/mqtt/payloads/requests.ts) or the agent stopping can end them.

export class ActiveRequests {
  private readonly active = new Map<string, AbortController>();

  /** Registers `id`; its signal aborts on cancel(id) or cancelAll(). */
  begin(id: string): AbortSignal {
    // A redelivered request (QoS 1) replaces the answer in progress rather than doubling it.
    this.active.get(id)?.abort();
    const controller = new AbortController();
    this.active.set(id, controller);
    return controller.signal;
  }

  /** `id` is answered; `signal` tells a finished request from a newer one with the same id. */
  finish(id: string, signal: AbortSignal): void {
    if (this.active.get(id)?.signal === signal) this.active.delete(id);
  }

  cancel(id: string): boolean {
    const controller = this.active.get(id);
    if (!controller) return false;
    this.active.delete(id);
    controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const id of [...this.active.keys()]) this.cancel(id);
  }

  get size(): number {
    return this.active.size;
  }

  ids(): string[] {
    return [...this.active.keys()];
  }
}
