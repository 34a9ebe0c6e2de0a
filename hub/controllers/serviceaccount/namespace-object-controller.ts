// A controller that keeps one object in every namespace (kube-controller-manager's
// serviceaccounts controller and root-ca-cert-publisher share this shape): a namespace added,
// or the object deleted or changed, queues the namespace; reconcile creates the object where it
// is missing and, when `matches` says it drifted, puts it back. Namespaces being deleted are left
// alone (the namespace controller is emptying them).
import type { KubeObject } from '../../../api/types.js';
import { ignoreNotFound, isApiError, isNamespaceTerminating } from '../objects/api-writes.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';

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

export class NamespaceObjectController extends ReconcilingController {
  constructor(
    ctx: ControllerContext,
    private readonly spec: NamespaceObjectSpec,
  ) {
    super(ctx, {
      name: spec.name,
      queue: 'unnamed',
      failures: { component: spec.name, resource: namespaces },
    });
  }

  protected watches(): Watch[] {
    return [
      { resource: namespaces, on: ['add', 'update'], keys: (ns) => ns.metadata.name ?? '' },
      {
        resource: this.spec.resource,
        on: ['update', 'delete'],
        keys: (obj) =>
          obj.metadata.name === this.spec.objectName ? (obj.metadata.namespace ?? '') : undefined,
      },
    ];
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
