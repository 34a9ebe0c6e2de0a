// A DaemonSet's or StatefulSet's history as apps/v1 ControllerRevisions: one revision per
// distinct template, named `<owner>-<hash>`, the newest carrying the highest revision number;
// pods carry the hash (DaemonSet) or the revision name (StatefulSet) in their
// controller-revision-hash label (kube's constructHistory and cleanupHistory).

import { isDeepStrictEqual } from 'node:util';
import { canonicalJson } from '../../../api/canonical-json.js';
import type { KubeObject } from '../../../api/types.js';
import type { Registry } from '../../apiserver/registry/registry.js';
import { ignoreNotFound, isApiError } from './api-writes.js';
import { isControlledBy, newControllerRef } from './controller-ref.js';
import type { Pod } from './kinds.js';
import { labels } from './well-known.js';

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
  ownerResource: { group: string; resource: string },
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
    // Written by an earlier sync the informer has not shown yet: the same revision, no collision
    // (kube's controller history reads it live too before counting a collision).
    const live = existing ? undefined : await ignoreNotFound(store.get(ds.metadata.namespace, name));
    if (live && isDeepStrictEqual(live.data, data) && isControlledBy(live, ds)) return hash;
    await registry.for(ownerResource).modify(
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
  /** What pods' controller-revision-hash label holds for a revision: its hash, or its name. */
  podLabelOf: (revision: KubeObject) => string | undefined = (r) =>
    r.metadata.labels?.[labels.controllerRevisionHash],
): Promise<void> {
  const limit = (ds.spec as { revisionHistoryLimit?: number } | undefined)?.revisionHistoryLimit ?? 10;
  const inUse = new Set(pods.map((p) => p.metadata.labels?.[labels.controllerRevisionHash]));
  const removable = owned
    .filter((r) => r.metadata.labels?.[labels.controllerRevisionHash] !== hash)
    .filter((r) => !inUse.has(podLabelOf(r)))
    .sort((a, b) => revisionNumber(a) - revisionNumber(b));
  const store = registry.for(revisionsResource);
  for (const revision of removable.slice(0, Math.max(0, removable.length - limit))) {
    await ignoreNotFound(
      store.delete(revision.metadata.namespace, revision.metadata.name!, { dryRun: false }),
    );
  }
}

// kube's rand.SafeEncodeString alphabet: no vowels, no look-alike characters.
const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits, over UTF-16 code units of a canonical JSON rendering. */
function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The controller-revision-hash of a template; collisionCount changes it when two templates collide. */
export function templateHash(template: unknown, collisionCount = 0): string {
  const digits = String(fnv32a(canonicalJson(template) + (collisionCount > 0 ? `#${collisionCount}` : '')));
  let encoded = '';
  for (const digit of digits) encoded += safeAlphabet[Number(digit) + 10 * (encoded.length % 2)];
  return encoded;
}
