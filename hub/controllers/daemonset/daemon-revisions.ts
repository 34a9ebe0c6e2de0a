// A DaemonSet's history as apps/v1 ControllerRevisions: one revision per distinct template,
// named `<daemonset>-<hash>`, the newest carrying the highest revision number; pods carry the
// hash in their controller-revision-hash label (kube's constructHistory and cleanupHistory).
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import type { Registry } from '../../apiserver/registry/registry.js';
import { ignoreNotFound, isApiError } from '../objects/api-writes.js';
import { newControllerRef } from '../objects/controller-ref.js';
import type { Pod } from '../objects/kinds.js';
import { labels } from '../objects/well-known.js';
import { templateHash } from './daemon-pod.js';

const revisionsResource = { group: 'apps', resource: 'controllerrevisions' };

type Template = { metadata?: { labels?: Record<string, string> } };

/** What a revision stores: a strategic-merge patch that replaces the whole template, as kube does. */
function revisionData(template: Template): unknown {
  return { spec: { template: { ...template, $patch: 'replace' } } };
}

const revisionNumber = (r: KubeObject) => (typeof r.revision === 'number' ? r.revision : 0);

/**
 * Makes sure the current template has the newest revision and returns its hash. A name taken by
 * different data is a hash collision: status.collisionCount goes up and the sync is retried.
 */
export async function syncCurrentRevision(
  registry: Registry,
  ds: KubeObject,
  owned: KubeObject[],
): Promise<string> {
  const spec = ds.spec as { template?: Template } | undefined;
  const template = spec?.template ?? {};
  const collisionCount = (ds.status as { collisionCount?: number } | undefined)?.collisionCount ?? 0;
  const hash = templateHash(template, collisionCount);
  const data = revisionData(template);
  const newest = Math.max(0, ...owned.map(revisionNumber));
  const store = registry.for(revisionsResource);
  const name = `${ds.metadata.name}-${hash}`;
  const existing = owned.find((r) => r.metadata.name === name);
  if (existing && isDeepStrictEqual(existing.data, data)) {
    if (revisionNumber(existing) < newest) {
      await store.modify(ds.metadata.namespace, name, (r) => ({ ...r, revision: newest + 1 }));
    }
    return hash;
  }
  try {
    if (existing) throw new Error('collision');
    await store.create(ds.metadata.namespace, {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: ds.metadata.namespace,
        labels: { ...template.metadata?.labels, [labels.controllerRevisionHash]: hash },
        ownerReferences: [newControllerRef(ds)],
      },
      data,
      revision: newest + 1,
    });
    return hash;
  } catch (err) {
    if (existing === undefined && !isApiError(err, 'AlreadyExists')) throw err;
    await registry.for({ group: 'apps', resource: 'daemonsets' }).modify(
      ds.metadata.namespace,
      ds.metadata.name!,
      (current) => {
        const status = (current.status ?? {}) as { collisionCount?: number };
        return { ...current, status: { ...status, collisionCount: (status.collisionCount ?? 0) + 1 } };
      },
      { subresource: 'status' },
    );
    throw new Error(`controller revision ${name} collides with another template; retrying with a new hash`);
  }
}

/** Deletes the oldest revisions beyond spec.revisionHistoryLimit that no pod still runs. */
export async function cleanupHistory(
  registry: Registry,
  ds: KubeObject,
  owned: KubeObject[],
  pods: Pod[],
  hash: string,
): Promise<void> {
  const limit = (ds.spec as { revisionHistoryLimit?: number } | undefined)?.revisionHistoryLimit ?? 10;
  const inUse = new Set(pods.map((p) => p.metadata.labels?.[labels.controllerRevisionHash]));
  inUse.add(hash);
  const removable = owned
    .filter((r) => !inUse.has(r.metadata.labels?.[labels.controllerRevisionHash]))
    .sort((a, b) => revisionNumber(a) - revisionNumber(b));
  const store = registry.for(revisionsResource);
  for (const revision of removable.slice(0, Math.max(0, removable.length - limit))) {
    await ignoreNotFound(
      store.delete(revision.metadata.namespace, revision.metadata.name!, { dryRun: false }),
    );
  }
}
