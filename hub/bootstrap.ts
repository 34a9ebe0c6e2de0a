// Objects every cluster has from its first start: the system namespaces and the default RBAC
// policy (api/rbac/bootstrap-policy.ts), each created when missing and left alone otherwise.
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from '../api/rbac/bootstrap-policy.js';
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
  for (const [resource, objects] of [
    ['clusterroles', bootstrapClusterRoles],
    ['clusterrolebindings', bootstrapClusterRoleBindings],
  ] as const) {
    const storage = registry.for({ group: 'rbac.authorization.k8s.io', resource });
    for (const obj of objects) {
      const existing = await registry.store.get(`rbac.authorization.k8s.io/${resource}`, {
        name: obj.metadata.name!,
      });
      if (!existing) await storage.create(undefined, structuredClone(obj));
    }
  }
}
