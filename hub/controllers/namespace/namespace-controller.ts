// The namespace controller: a namespace being deleted is emptied of every namespaced object,
// then its `kubernetes` finalizer is cleared through the finalize subresource, which lets the
// API server remove it.

import type { KubeObject } from '../../../api/types.js';
import type { Registry } from '../../apiserver/registry/registry.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';

const recheckMs = 1000;
const namespaces = { group: '', resource: 'namespaces' };

export class NamespaceController extends ReconcilingController {
  private readonly registry: Registry;

  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'namespace', failures: { component: 'namespace controller', resource: namespaces } });
    this.registry = ctx.registry;
  }

  protected watches(): Watch[] {
    return [
      {
        resource: namespaces,
        on: ['add', 'update'],
        keys: (ns) => (ns.metadata.deletionTimestamp ? ns.metadata.name! : undefined),
      },
    ];
  }

  async reconcile(name: string): Promise<undefined | { requeueAfterMs: number }> {
    const ns = await this.registry.store.get('namespaces', { name });
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    // Every namespaced resource, custom ones included; one pass per stored resource.
    for (const storage of this.registry.all().filter((s) => s.info.namespaced)) {
      const { items } = await storage.list({ namespace: name });
      for (const item of items) {
        remaining++;
        if (item.metadata.deletionTimestamp) continue;
        await ignoreNotFound(
          storage.delete(name, item.metadata.name!, { dryRun: false, propagationPolicy: 'Background' }),
        );
      }
    }
    if (remaining > 0) return { requeueAfterMs: recheckMs };
    const finalizers = ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).filter(
      (f) => f !== 'kubernetes',
    );
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
      spec: { finalizers },
    };
    await ignoreNotFound(
      this.registry
        .for({ group: '', resource: 'namespaces' })
        .update(undefined, name, body, { subresource: 'finalize' }),
    );
  }
}
