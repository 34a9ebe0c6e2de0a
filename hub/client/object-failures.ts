// What the hub does when processing one object fails — a reconcile that throws, a pod the
// scheduler cannot read, a pod whose desired state cannot be built: log it with the object,
// record a Warning event on the object (rate-limited by the EventRecorder), and go on with the
// others. The caller retries with back-off. Nothing stored, however malformed, may stop the
// scheduler, a controller or edge sync for everyone else (issue 11, isolation of failures).
import type { Clock } from '../../api/clock.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { Registry } from '../apiserver/registry/registry.js';
import { EventRecorder } from './event-recorder.js';
import type { SharedInformers } from './shared-informers.js';

/** An error's message, whatever was thrown. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class ObjectFailures {
  private readonly events: EventRecorder;

  /** `component`: the log prefix, and (dashed) the events' source component. */
  constructor(
    registry: Registry,
    clock: Clock,
    private readonly log: (line: string) => void,
    private readonly component: string,
  ) {
    this.events = new EventRecorder(registry, clock, log, component.replaceAll(' ', '-'));
  }

  /**
   * `key` names the object in the log (namespace/name, or a node's name) even when `obj` is
   * gone; the event needs `obj`. Never throws.
   */
  report(key: string, obj: KubeObject | undefined, reason: string, err: unknown): void {
    const message = describeError(err);
    const kind = obj?.kind ? `${obj.kind} ` : '';
    this.log(`${this.component}: ${kind}${key}: ${message}`);
    if (obj?.metadata?.name) void this.events.record(obj, 'Warning', reason, message);
  }
}

/**
 * A WorkQueue's onError for a controller whose keys name objects of `resource`: each failed
 * reconcile is logged with the object and recorded on it as a FailedSync event (the reason
 * kube's controllers and kubelet use for a sync that failed); the queue retries with back-off.
 */
export function reconcileFailures(
  ctx: { registry: Registry; clock: Clock; log: (line: string) => void; informers: SharedInformers },
  component: string,
  resource: Pick<ResourceInfo, 'group' | 'resource'>,
): (key: string, err: unknown) => void {
  const failures = new ObjectFailures(ctx.registry, ctx.clock, ctx.log, component);
  return (key, err) => failures.report(key, ctx.informers.for(resource).get(key), 'FailedSync', err);
}
