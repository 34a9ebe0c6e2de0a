import type { Logger } from '../../api/logger.js';
// Delivers the outbox in order: the head's run of statuses (or events) as one batch, the next
// batch only after the hub acknowledged the previous one (QoS 1), entries removed only once
// acknowledged. A dropped connection stops the drain; the next CONNACK starts it again, so
// what was queued offline arrives in order after reconnect.
import { encodePayload } from '../../api/mqtt/codec.js';
import { buildTopic, routes } from '../../api/mqtt/route-table.js';
import { NotConnectedError } from './mqtt-session.js';
import type { Outbox } from './outbox.js';

export interface Publisher {
  readonly connected: boolean;
  publish(topic: string, payload: Buffer, opts: { qos: 0 | 1 }): Promise<void>;
}

export class OutboxSender {
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** When the last gathered drain began (performance.now()). */
  private lastGatherAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly outbox: Outbox,
    private readonly link: Publisher,
    private readonly nodeName: string,
    private readonly onDelivered: () => void,
    private readonly log: Logger,
    /** Gathers a burst of reports (a pod starting) into one batch. */
    private readonly gatherMs = 20,
  ) {}

  /**
   * Something was queued: deliver it at once after a quiet moment (what the same turn queued goes
   * with it), else when the current gathering window ends — one drain per window at most.
   */
  kick(): void {
    if (this.timer || !this.link.connected) return;
    const wait = Math.max(0, this.lastGatherAt + this.gatherMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastGatherAt = performance.now();
      void this.drain();
    }, wait);
  }

  /** Delivers until the outbox is empty or the connection is gone; one drain at a time. */
  drain(): Promise<void> {
    this.draining ??= this.run().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    try {
      for (
        let batch = this.outbox.nextBatch();
        batch && this.link.connected;
        batch = this.outbox.nextBatch()
      ) {
        const route = batch.kind === 'podStatus' ? routes.podStatus : routes.events;
        const payload = encodePayload({ items: batch.entries.map((entry) => entry.value.item) });
        await this.link.publish(buildTopic(route, { node: this.nodeName }), payload, { qos: route.qos });
        this.outbox.settle(batch.entries);
        this.onDelivered();
      }
    } catch (err) {
      if (!(err instanceof NotConnectedError))
        this.log.warn(`outbox delivery failed: ${(err as Error).message}`);
    }
  }
}
