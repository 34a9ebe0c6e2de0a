// Counting finished pods exactly once, with the batch.kubernetes.io/job-tracking finalizer
// (https://kubernetes.io/docs/concepts/workloads/controllers/job/#job-tracking-with-finalizers):
// a finished pod's uid is first recorded in status.uncountedTerminatedPods, then its finalizer
// is removed, then the uid moves into the succeeded/failed counters. A crash between any two
// steps repeats the step, never the count.
import type { KubeObject, ObjectMeta } from '../../../api/types.js';
import type { Registry } from '../../apiserver/registry/registry.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import type { Pod } from '../objects/kinds.js';
import { finalizers } from '../objects/well-known.js';
import { formatIndexes, parseIndexes } from './completed-indexes.js';
import { completionIndex, isPodFinished, type Job, type JobStatusView } from './job-view.js';

const jobs = { group: 'batch', resource: 'jobs' };

export function hasTrackingFinalizer(pod: KubeObject): boolean {
  return pod.metadata.finalizers?.includes(finalizers.jobTracking) ?? false;
}

export async function removeTrackingFinalizer(registry: Registry, pod: KubeObject): Promise<void> {
  await ignoreNotFound(
    registry
      .for({ group: '', resource: 'pods' })
      .modify(pod.metadata.namespace, pod.metadata.name!, (current) => {
        const rest = (current.metadata.finalizers ?? []).filter((f) => f !== finalizers.jobTracking);
        const metadata: ObjectMeta = { ...current.metadata, finalizers: rest };
        if (rest.length === 0) delete metadata.finalizers;
        return { ...current, metadata };
      }),
  );
}

/** Runs the three steps for every finished pod; returns the Job as last written. */
export async function accountFinishedPods(registry: Registry, job: Job, listPods: () => Pod[]): Promise<Job> {
  let current = job;
  const uncounted = {
    succeeded: new Set(job.status?.uncountedTerminatedPods?.succeeded ?? []),
    failed: new Set(job.status?.uncountedTerminatedPods?.failed ?? []),
  };
  const completed = new Set(parseIndexes(job.status?.completedIndexes));
  const completions = job.spec?.completions ?? 0;
  let recorded = false;
  for (const pod of listPods()) {
    const uid = pod.metadata.uid ?? '';
    if (
      !hasTrackingFinalizer(pod) ||
      !isPodFinished(pod) ||
      uncounted.succeeded.has(uid) ||
      uncounted.failed.has(uid)
    )
      continue;
    recorded = true;
    if (pod.status?.phase !== 'Succeeded') {
      uncounted.failed.add(uid);
      continue;
    }
    uncounted.succeeded.add(uid);
    const index = completionIndex(pod);
    if (job.spec?.completionMode === 'Indexed' && index !== undefined && index < completions)
      completed.add(index);
  }
  if (recorded) {
    current = await writeStatus(registry, current, {
      uncountedTerminatedPods: { succeeded: [...uncounted.succeeded], failed: [...uncounted.failed] },
      ...(job.spec?.completionMode === 'Indexed' ? { completedIndexes: formatIndexes(completed) } : {}),
    });
  }
  const pending = (uid: string) => uncounted.succeeded.has(uid) || uncounted.failed.has(uid);
  await Promise.all(
    listPods()
      .filter((p) => hasTrackingFinalizer(p) && pending(p.metadata.uid ?? ''))
      .map((p) => removeTrackingFinalizer(registry, p)),
  );
  const stillHeld = new Set(
    listPods()
      .filter(hasTrackingFinalizer)
      .map((p) => p.metadata.uid),
  );
  const moved = (set: Set<string>) => [...set].filter((uid) => !stillHeld.has(uid));
  const succeeded = moved(uncounted.succeeded);
  const failed = moved(uncounted.failed);
  if (succeeded.length === 0 && failed.length === 0) return current;
  return writeStatus(registry, current, {
    succeeded: (current.status?.succeeded ?? 0) + succeeded.length,
    failed: (current.status?.failed ?? 0) + failed.length,
    uncountedTerminatedPods: {
      succeeded: [...uncounted.succeeded].filter((uid) => stillHeld.has(uid)),
      failed: [...uncounted.failed].filter((uid) => stillHeld.has(uid)),
    },
  });
}

/** A status write on top of the Job we read; a concurrent change makes it fail and retry. */
export async function writeStatus(registry: Registry, job: Job, change: JobStatusView): Promise<Job> {
  const body = { ...job, status: { ...job.status, ...change } };
  return (await registry
    .for(jobs)
    .update(job.metadata.namespace, job.metadata.name!, body, { subresource: 'status' })) as Job;
}
