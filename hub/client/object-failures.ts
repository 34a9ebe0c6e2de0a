// What the hub does when processing one object fails — a reconcile that throws, a pod the
// scheduler cannot read, a pod whose desired state cannot be built: log it with the object,
// record a Warning event on the object (rate-limited by the EventRecorder), and go on with the
// others. The caller retries with back-off. Nothing stored, however malformed, may stop the
// scheduler, a controller or edge sync for everyone else (issue 11, isolation of failures).
import type { Clock } from '../../api/clock.js';
import type { Logger } from '../../api/logger.js';
import type { KubeObject } from '../../api/types.js';
import type { Registry } from '../apiserver/registry/registry.js';
import { EventRecorder } from './event-recorder.js';

/** An error's message, whatever was thrown. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class ObjectFailures {
  private readonly events: EventRecorder;

  /** `log`: named after the component; `component` (dashed): the events' source component. */
  constructor(
    registry: Registry,
    clock: Clock,
    private readonly log: Logger,
    component: string,
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
    this.log.warn(`${kind}${key}: ${message}`);
    if (obj?.metadata?.name) void this.events.record(obj, 'Warning', reason, message);
  }
}
