// core/v1 Events about pods (`kubectl describe pod` shows them): Scheduled, FailedScheduling.
// A repeat of the same event (same pod, type, reason and message) bumps count and
// lastTimestamp on the event already written instead of adding another, as client-go's
// EventCorrelator does. Events are diagnostics: a failed write is logged, never thrown.
import type { Clock } from '../../api/clock.js';
import { ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { kubeTime } from '../apiserver/registry/object-lifecycle.js';
import type { Registry } from '../apiserver/registry/registry.js';

const events = { group: '', resource: 'events' };
const rememberedEvents = 4096;

export class EventRecorder {
  private readonly written = new Map<string, string>();
  private sequence = 0;

  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
    private readonly component = 'default-scheduler',
  ) {}

  async record(pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const namespace = pod.metadata.namespace ?? 'default';
    const key = [namespace, pod.metadata.name, pod.metadata.uid, type, reason, message].join('\u0000');
    try {
      const existing = this.written.get(key);
      if (existing && (await this.bump(namespace, existing))) return;
      const created = await this.registry
        .for(events)
        .create(namespace, this.event(pod, type, reason, message));
      this.remember(key, created.metadata.name!);
    } catch (err) {
      this.log(`scheduler: event ${reason} for ${namespace}/${pod.metadata.name}: ${(err as Error).message}`);
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

  private event(pod: KubeObject, type: string, reason: string, message: string): KubeObject {
    const now = this.clock.now();
    // kube names events <object>.<hex nanoseconds>; the sequence keeps same-millisecond names apart.
    const stamp = (BigInt(now.getTime()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000)).toString(16);
    const time = kubeTime(now);
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata.name}.${stamp}`, namespace: pod.metadata.namespace },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        resourceVersion: pod.metadata.resourceVersion,
      },
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
