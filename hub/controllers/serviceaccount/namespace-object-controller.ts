// A controller that keeps one object in every namespace (kube-controller-manager's
// serviceaccounts controller and root-ca-cert-publisher share this shape): a namespace added,
// or the object deleted or changed, queues the namespace; reconcile creates the object where it
// is missing and, when `matches` says it drifted, puts it back. Namespaces being deleted are left
// alone (the namespace controller is emptying them).
import type { KubeObject } from '../../../api/types.js';
import { reconcileFailures } from '../../client/object-failures.js';
import { WorkQueue } from '../../client/work-queue.js';
import { ignoreNotFound, isApiError, isNamespaceTerminating } from '../objects/api-writes.js';
import type { Controller, ControllerContext } from '../runtime/controller.js';

export interface NamespaceObjectSpec {
  /** The controller's name (its log prefix). */
  name: string;
  resource: { group: ''; resource: string };
  objectName: string;
  /** The object to create in `namespace`. */
  desired(namespace: string): KubeObject;
  /** Whether the stored object is as it must be; absent: any object of that name will do. */
  matches?(stored: KubeObject): boolean;
  /** The stored object put back as it must be (when `matches` says it is not). */
  repair?(stored: KubeObject): KubeObject;
}

const namespaces = { group: '', resource: 'namespaces' } as const;

export class NamespaceObjectController implements Controller {
  readonly name: string;
  private readonly queue: WorkQueue;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly spec: NamespaceObjectSpec,
  ) {
    this.name = spec.name;
    this.queue = new WorkQueue((namespace) => this.reconcile(namespace), {
      onError: reconcileFailures(ctx, spec.name, namespaces),
    });
  }

  start(): void {
    this.ctx.informers.for(namespaces).addHandler({
      add: (ns) => this.queue.add(ns.metadata.name ?? ''),
      update: (ns) => this.queue.add(ns.metadata.name ?? ''),
    });
    const ours = (obj: KubeObject) => {
      if (obj.metadata.name === this.spec.objectName) this.queue.add(obj.metadata.namespace ?? '');
    };
    this.ctx.informers.for(this.spec.resource).addHandler({ update: ours, delete: ours });
  }

  stop(): void {
    this.queue.stop();
  }

  /** Until the queue is empty (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  async reconcile(namespace: string): Promise<undefined> {
    const ns = this.ctx.informers.for(namespaces).get(namespace);
    if (!ns || ns.metadata.deletionTimestamp) return undefined;
    const storage = this.ctx.registry.for(this.spec.resource);
    const stored = this.ctx.informers.for(this.spec.resource).get(`${namespace}/${this.spec.objectName}`);
    try {
      if (!stored) {
        await storage.create(namespace, this.spec.desired(namespace));
      } else if (this.spec.repair && this.spec.matches && !this.spec.matches(stored)) {
        const repair = this.spec.repair;
        await ignoreNotFound(storage.modify(namespace, this.spec.objectName, (current) => repair(current)));
      }
    } catch (err) {
      // Created meanwhile (the informer lags its own writes), or the namespace is going away.
      if (isApiError(err, 'AlreadyExists') || isNamespaceTerminating(err) || isApiError(err, 'NotFound')) {
        return undefined;
      }
      throw err;
    }
    return undefined;
  }
}
