import type { Logger } from '../../api/logger.js';
// Runs a pass periodically and on request: one pass at a time, a request during a pass makes
// another pass follow it shortly (never a busy loop), otherwise the next one comes after the
// interval. containerd 1.6 has no container events (firmware-notes/host-runtime.md §1), so polling it is.
export class SyncLoop {
  private running = false;
  private passing: Promise<void> | undefined;
  private wanted = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  /** Runs the first pass, then keeps going until stop(). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.tick();
  }

  /** Waits for the pass in progress, if any. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.passing;
  }

  request(): void {
    if (!this.running) return;
    if (this.passing) this.wanted = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (!this.running || this.passing) return;
    this.wanted = false;
    this.passing = this.pass().then(
      () => undefined,
      (error) =>
        this.log.warn(`pod sync pass failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    await this.passing;
    this.passing = undefined;
    if (this.running) this.schedule(this.wanted ? Math.min(50, this.intervalMs) : this.intervalMs);
  }
}

/** Waits for `work` to settle, but no longer than `ms`. */
export function settledWithin(work: Promise<unknown>[], ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([Promise.allSettled(work), limit]).finally(() => clearTimeout(timer));
}
