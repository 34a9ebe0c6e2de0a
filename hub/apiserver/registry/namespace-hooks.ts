// Namespaces: deletion marks the namespace Terminating; the namespace controller empties it
// and clears spec.finalizers through the `finalize` subresource, which completes the deletion.
import { forbiddenRequest } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import type { KindHooks } from './kind-hooks.js';

/** Namespaces every cluster has from the start and that may not be deleted. */
export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function specFinalizers(ns: KubeObject): string[] {
  return ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).filter(Boolean);
}

export const namespaceHooks: KindHooks = {
  beforeDelete(ns) {
    const name = ns.metadata.name ?? '';
    if (systemNamespaces.includes(name)) {
      throw forbiddenRequest(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
    }
  },
  holdsDeletion: (ns) => specFinalizers(ns).length > 0,
  markDeleting(ns) {
    ns.status = { ...((ns.status as object | undefined) ?? {}), phase: 'Terminating' };
  },
};
