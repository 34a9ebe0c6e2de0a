// A controller declared rather than wired: its name, the kinds it watches (and which keys their
// changes queue), and reconcile. The base gives it a work queue named after it, queues keys from
// the shared informers, reports failed reconciles (logged, and a FailedSync event on the object a
// key names) and retries them with back-off, as controller-runtime's builder does for a
// Reconciler. A controller with more to do at start (a periodic pass) extends start().
import type { Logger } from '../../../api/logger.js';
import type { ResourceInfo } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { objectKey } from '../../client/informer.js';
import { ObjectFailures } from '../../client/object-failures.js';
import { type Requeue, WorkQueue } from '../../client/work-queue.js';
import type { Controller, ControllerContext } from './controller.js';

export type WatchEvent = 'add' | 'update' | 'delete';

type Resource = Pick<ResourceInfo, 'group' | 'resource'>;

export interface Watch {
  resource: Resource;
  /** The events that queue work (default all three); none only starts the informer. */
  on?: readonly WatchEvent[];
  /**
   * The keys an event queues: by default the object's own (`namespace/name`, or the name of a
   * cluster-scoped object); undefined or [] queues nothing. `old` is the object before an update.
   */
  keys?: (obj: KubeObject, old: KubeObject | undefined) => string | readonly string[] | undefined;
}

export interface ControllerDeclaration {
  /** The controller's name (`only` picks controllers by it). */
  name: string;
  /** Its work queue's name in the metrics (default the controller's name). */
  queue?: string;
  /**
   * Who the controller is in events (`component`, dashed, is their source) and in the log (a
   * child logger named after it: `statefulset controller` logs as `…/statefulset`). Failed
   * reconciles are logged with their key and, when the keys name objects of `resource`, recorded
   * on them as FailedSync events.
   */
  failures: { component: string; resource?: Resource };
  backoff?: { baseMs?: number | undefined; maxMs?: number | undefined };
}

export abstract class ReconcilingController implements Controller {
  readonly name: string;
  protected readonly queue: WorkQueue;
  /** The controller's logger: its context's, with a child named after the controller. */
  protected readonly log: Logger;

  constructor(
    protected readonly ctx: ControllerContext,
    declaration: ControllerDeclaration,
  ) {
    this.name = declaration.name;
    this.log = ctx.log.child(logComponent(declaration.failures.component));
    const failures = new ObjectFailures(ctx.registry, ctx.clock, this.log, declaration.failures.component);
    const resource = declaration.failures.resource;
    this.queue = new WorkQueue((key) => this.reconcile(key), {
      name: declaration.queue ?? declaration.name,
      onError: (key, err) =>
        failures.report(key, resource && ctx.informers.for(resource).get(key), 'FailedSync', err),
      ...(declaration.backoff?.baseMs !== undefined ? { baseDelayMs: declaration.backoff.baseMs } : {}),
      ...(declaration.backoff?.maxMs !== undefined ? { maxDelayMs: declaration.backoff.maxMs } : {}),
    });
  }

  /** The kinds the controller watches, and the keys their changes queue. */
  protected abstract watches(): Watch[];

  /** Converges the world for one key; throws to be retried with back-off. */
  abstract reconcile(key: string): Promise<Requeue | undefined | undefined>;

  start(): void {
    for (const watch of this.watches()) {
      const informer = this.ctx.informers.for(watch.resource);
      const on = watch.on ?? ['add', 'update', 'delete'];
      if (on.length === 0) continue;
      const queue = (obj: KubeObject, old?: KubeObject) => {
        const keys = watch.keys ? watch.keys(obj, old) : objectKey(obj);
        if (keys === undefined) return;
        for (const key of typeof keys === 'string' ? [keys] : keys) this.queue.add(key);
      };
      informer.addHandler({
        ...(on.includes('add') ? { add: (obj: KubeObject) => queue(obj) } : {}),
        ...(on.includes('update') ? { update: (obj: KubeObject, old: KubeObject) => queue(obj, old) } : {}),
        ...(on.includes('delete') ? { delete: (obj: KubeObject) => queue(obj) } : {}),
      });
    }
  }

  stop(): void {
    this.queue.stop();
  }

  /** Until the queue is empty (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }
}

/** A controller's component in the log: `statefulset controller` → `statefulset`. */
function logComponent(component: string): string {
  return component
    .replace(/ controller$/, '')
    .toLowerCase()
    .replaceAll(' ', '-');
}
