// How objects are addressed inside the store: `namespace/name`, or `name` for cluster-scoped
// objects — the same shape as the tail of an etcd key (/registry/pods/<namespace>/<name>).
import { badRequest, type GroupResource } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { ObjectKey, ResourceName } from './store.js';

export function storageKey({ namespace, name }: ObjectKey): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** The key of an object about to be written; the API server guarantees a name, we check it. */
export function keyOfObject(object: KubeObject): string {
  const name = object.metadata?.name;
  if (!name) throw badRequest('metadata.name is required');
  return storageKey({ namespace: object.metadata.namespace, name });
}

/** `apps/deployments` → {group: 'apps', resource: 'deployments'}; `pods` → core group. */
export function groupResourceOf(resource: ResourceName): GroupResource {
  const slash = resource.indexOf('/');
  return slash === -1
    ? { group: '', resource }
    : { group: resource.slice(0, slash), resource: resource.slice(slash + 1) };
}
