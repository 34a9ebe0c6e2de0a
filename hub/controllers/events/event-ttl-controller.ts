// Deletes Events once they are older than the event TTL (kube-apiserver's --event-ttl, 1 h by
// default), so a chatty gateway or a crash-looping pod cannot fill the store. Expiries sit in
// an ExpiryQueue fed by the events informer: one timer for the earliest, and each wake-up
// touches only the Events that are due — never a scan of every Event.
import type { KubeObject } from '../../../api/types.js';
import { objectKey, splitKey } from '../../client/informer.js';
import { describeError } from '../../client/object-failures.js';
import { ignoreNotFound, isApiError } from '../objects/api-writes.js';
import { ExpiryQueue } from '../objects/expiry-queue.js';
import { Wakeups } from '../objects/wakeups.js';
import type { Controller, ControllerContext } from '../runtime/controller.js';
import { defaultEventTTLSeconds, lastWrittenAt } from './event-ttl.js';

const events = { group: '', resource: 'events' };
/** An Event whose deletion failed (not a conflict: another write) is tried again after this. */
const retryMs = 10_000;

export interface EventTTLOptions {
  ttlMs?: number | undefined;
}

export class EventTTLController implements Controller {
  readonly name = 'event-ttl';
  private readonly queue = new ExpiryQueue();
  private readonly wakeups: Wakeups;
  private readonly ttlMs: number;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    options: EventTTLOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? defaultEventTTLSeconds * 1000;
    this.wakeups = new Wakeups(() => void this.expireDue());
  }

  start(): void {
    const track = (event: KubeObject) => {
      const written = lastWrittenAt(event);
      // An Event without a usable time counts from now: it still goes, one TTL later.
      const at = (Number.isFinite(written) ? written : this.ctx.clock.now().getTime()) + this.ttlMs;
      this.queue.set(objectKey(event), at);
      this.arm();
    };
    this.ctx.informers.for(events).addHandler({
      add: track,
      update: track,
      delete: (event) => this.queue.delete(objectKey(event)),
    });
  }

  stop(): void {
    this.wakeups.stop();
  }

  /** Deletes every Event that is due now (the timer calls it; tests call it after moving the clock). */
  expireDue(): Promise<void> {
    this.sweeping ??= this.sweep().finally(() => {
      this.sweeping = undefined;
      this.arm();
    });
    return this.sweeping;
  }

  private async sweep(): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    const store = this.ctx.registry.for(events);
    for (const key of this.queue.takeDue(now)) {
      const event = this.ctx.informers.for(events).get(key);
      if (!event) continue;
      const { namespace, name } = splitKey(key);
      try {
        await ignoreNotFound(
          store.delete(namespace, name, {
            dryRun: false,
            preconditions: { uid: event.metadata.uid, resourceVersion: event.metadata.resourceVersion },
          }),
        );
      } catch (err) {
        // Conflict: written again meanwhile; the informer's update has set its new expiry.
        if (isApiError(err, 'Conflict')) continue;
        this.ctx.log.child('event-ttl').warn(`${key} not deleted: ${describeError(err)}`);
        this.queue.set(key, now + retryMs);
      }
    }
  }

  private arm(): void {
    const next = this.queue.next();
    if (next !== undefined) this.wakeups.after('next', next - this.ctx.clock.now().getTime());
  }
}
