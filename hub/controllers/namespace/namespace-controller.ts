// The namespace controller: a namespace being deleted is emptied of every namespaced object,
// then its `kubernetes` finalizer is cleared through the finalize subresource, which lets the
// API server remove it.

import type { KubeObject } from '../../../api/types.js';
import type { Registry } from '../../apiserver/registry/registry.js';
import { reconcileFailures } from '../../client/object-failures.js';
import { WorkQueue } from '../../client/work-queue.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import type { Controller, ControllerContext } from '../runtime/controller.js';

const recheckMs = 1000;

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  private readonly queue: WorkQueue;
  private readonly registry: Registry;

  constructor(private readonly ctx: ControllerContext) {
    this.registry = ctx.registry;
    this.queue = new WorkQueue((name) => this.reconcile(name), {
      name: 'namespace',
      onError: reconcileFailures(ctx, 'namespace controller', { group: '', resource: 'namespaces' }),
    });
  }

  start(): void {
    const enqueue = (ns: KubeObject) => {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name!);
    };
    this.ctx.informers
      .for({ group: '', resource: 'namespaces' })
      .addHandler({ add: enqueue, update: enqueue });
  }

  stop(): void {
    this.queue.stop();
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
