// core/v1 Events about objects (`kubectl describe` shows them), written by the hub's own
// components (the scheduler's Scheduled and FailedScheduling, a controller's FailedSync). As
// client-go's EventCorrelator: a repeat of the same event (same object, type, reason and
// message) bumps count and lastTimestamp on the event already written instead of adding
// another, and a spam filter lets one component write at most a burst of 25 events about one
// object, then one every 5 minutes. Events are diagnostics: a failed write is logged, never thrown.
import type { Clock } from '../../api/clock.js';
import { ApiError } from '../../api/errors.js';
import type { Logger } from '../../api/logger.js';
import type { KubeObject } from '../../api/types.js';
import { kubeTime } from '../apiserver/registry/object-lifecycle.js';
import type { Registry } from '../apiserver/registry/registry.js';
import { KeyedTokenBuckets } from './token-bucket.js';

const events = { group: '', resource: 'events' };
/** client-go's maxLruCacheEntries, defaultSpamBurst and defaultSpamQPS. */
const rememberedEvents = 4096;
export const eventSpamLimits = { burst: 25, perSecond: 1 / 300 };
/** Longer messages are cut: an event is a note, not a dump. */
const maxMessageLength = 1024;

export class EventRecorder {
  private readonly written = new Map<string, string>();
  private readonly spam = new KeyedTokenBuckets(eventSpamLimits, rememberedEvents);
  private sequence = 0;

  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly component = 'default-scheduler',
  ) {}

  async record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const { namespace: objectNamespace, name, uid } = obj.metadata;
    // Events about cluster-scoped objects (nodes) go to "default", as kube puts them.
    const namespace = objectNamespace ?? 'default';
    const text = message.length > maxMessageLength ? `${message.slice(0, maxMessageLength - 3)}...` : message;
    const objectId = [obj.kind, namespace, name, uid].join('\u0000');
    if (!this.spam.take(objectId, this.clock.now().getTime())) return;
    const key = [objectId, type, reason, text].join('\u0000');
    try {
      const existing = this.written.get(key);
      if (existing && (await this.bump(namespace, existing))) return;
      const created = await this.registry
        .for(events)
        .create(namespace, this.event(obj, namespace, type, reason, text));
      this.remember(key, created.metadata.name!);
    } catch (err) {
      this.log.warn(
        `event ${reason} for ${namespace}/${name} from ${this.component} not written: ${(err as Error).message}`,
      );
    }
  }

  private async bump(namespace: string, name: string): Promise<boolean> {
    try {
      await this.registry.for(events).modify(namespace, name, (event) => {
        event.count = ((event.count as number | undefined) ?? 1) + 1;
        event.lastTimestamp = kubeTime(this.clock.now());
        return event;
      });
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return false;
      throw err;
    }
  }

  private remember(key: string, name: string): void {
    this.written.delete(key);
    this.written.set(key, name);
    if (this.written.size > rememberedEvents) this.written.delete(this.written.keys().next().value!);
  }

  private event(
    obj: KubeObject,
    namespace: string,
    type: string,
    reason: string,
    message: string,
  ): KubeObject {
    const now = this.clock.now();
    // kube names events <object>.<hex nanoseconds>; the sequence keeps same-millisecond names apart.
    const stamp = (BigInt(now.getTime()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000)).toString(16);
    const time = kubeTime(now);
    const involvedObject: Record<string, unknown> = {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
    };
    if (obj.metadata.namespace) involvedObject.namespace = obj.metadata.namespace;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${obj.metadata.name}.${stamp}`, namespace },
      involvedObject,
      reason,
      message,
      type,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.component,
      count: 1,
      firstTimestamp: time,
      lastTimestamp: time,
    };
  }
}
