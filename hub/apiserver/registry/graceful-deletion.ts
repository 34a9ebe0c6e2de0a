// What a DELETE does to the stored object, as kube-apiserver's BeforeDelete: its preconditions
// (uid, resourceVersion) are checked, and an object with finalizers (those it had, or the
// propagation policy's), one the kind holds, or one with a grace period is only marked —
// deletionTimestamp and deletionGracePeriodSeconds set — and removed later; any other goes now.
import { conflict, type GroupResource } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import type { DeleteOptions } from './delete-options.js';
import type { KindHooks } from './kind-hooks.js';
import { kubeTime } from './object-lifecycle.js';

/** A 409 when the object is not the one the preconditions name. */
export function checkDeletePreconditions(
  current: KubeObject,
  options: DeleteOptions,
  gr: GroupResource,
): void {
  const { preconditions } = options;
  const name = current.metadata.name!;
  if (preconditions?.uid && preconditions.uid !== current.metadata.uid) {
    throw conflict(
      gr,
      name,
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  if (preconditions?.resourceVersion && preconditions.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      gr,
      name,
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  }
}

/** The object marked as being deleted, or undefined when it is to be removed now. */
export function markedForDeletion(
  current: KubeObject,
  options: DeleteOptions,
  hooks: KindHooks,
  now: Date,
): KubeObject | undefined {
  const next = structuredClone(current) as KubeObject;
  const meta = next.metadata;
  let deferred = false;

  const finalizers = new Set(meta.finalizers ?? []);
  if (options.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
  if (options.propagationPolicy === 'Orphan') finalizers.add('orphan');
  if (options.propagationPolicy === 'Background') {
    finalizers.delete('foregroundDeletion');
    finalizers.delete('orphan');
  }
  if (finalizers.size > 0 || hooks.holdsDeletion?.(next)) {
    meta.finalizers = [...finalizers];
    deferred = true;
  } else if (meta.finalizers) {
    delete meta.finalizers;
  }

  const grace = hooks.gracePeriod?.(next, options.gracePeriodSeconds);
  if (grace !== undefined && grace > 0) {
    deferred = true;
    const currentGrace = current.metadata.deletionGracePeriodSeconds;
    if (currentGrace === undefined || grace < currentGrace) {
      meta.deletionGracePeriodSeconds = grace;
      meta.deletionTimestamp = kubeTime(new Date(now.getTime() + grace * 1000));
    }
  } else if (grace === 0 && deferred) {
    meta.deletionGracePeriodSeconds = 0;
  }

  if (!deferred) return undefined;
  meta.deletionTimestamp ??= kubeTime(now);
  if (meta.deletionGracePeriodSeconds === undefined) meta.deletionGracePeriodSeconds = 0;
  hooks.markDeleting?.(next);
  return next;
}
