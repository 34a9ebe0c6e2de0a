// Objects every cluster has from its first start: the system namespaces.
import type { KubeObject } from '../api/types.js';
import { systemNamespaces } from './apiserver/registry/namespace-hooks.js';
import type { Registry } from './apiserver/registry/registry.js';

export async function ensureSystemObjects(registry: Registry): Promise<void> {
  const namespaces = registry.for({ group: '', resource: 'namespaces' });
  for (const name of systemNamespaces) {
    const existing = await registry.store.get('namespaces', { name });
    if (existing) continue;
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    await namespaces.create(undefined, ns);
  }
}
