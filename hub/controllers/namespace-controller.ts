// The namespace controller: a namespace being deleted is emptied of every namespaced object,
// then its `kubernetes` finalizer is cleared through the finalize subresource, which lets the
// API server remove it.
import { ApiError } from '../../api/errors.js';
import { resources } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { Registry } from '../apiserver/registry/registry.js';
import type { Watch } from '../store/store.js';
import { WorkQueue } from './runtime/work-queue.js';

const recheckMs = 1000;

export class NamespaceController {
  private readonly queue: WorkQueue;
  private watch: Watch | undefined;

  constructor(private readonly registry: Registry) {
    this.queue = new WorkQueue((name) => this.reconcile(name), {
      onError: (name, err) => console.error(`namespace controller: ${name}:`, (err as Error).message),
    });
  }

  start(): void {
    this.watch = this.registry.store.watch('namespaces', {}, (event) => {
      if (event.type !== 'DELETED' && event.object.metadata.deletionTimestamp)
        this.queue.add(event.object.metadata.name!);
    });
  }

  stop(): void {
    this.watch?.stop();
    this.queue.stop();
  }

  async reconcile(name: string): Promise<undefined | { requeueAfterMs: number }> {
    const ns = await this.registry.store.get('namespaces', { name });
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const info of resources.filter((r) => r.namespaced)) {
      const storage = this.registry.for(info);
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

async function ignoreNotFound(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
  }
}
