// The Job controller: runs a Job's pods to completion with parallelism, retries failures with
// back-off up to backoffLimit, enforces activeDeadlineSeconds, honours suspend, and deletes
// finished Jobs after ttlSecondsAfterFinished (kube's job and ttl-after-finished controllers).
import { isDeepStrictEqual } from 'node:util';
import { splitKey } from '../../client/informer.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { controllerKey, controllerRefOf, isControlledBy } from '../objects/controller-ref.js';
import { asPod } from '../objects/kinds.js';
import { Wakeups } from '../objects/wakeups.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import { type BackoffPolicy, defaultJobBackoff } from './job-backoff.js';
import { planJob } from './job-plan.js';
import { newJobPod } from './job-pod.js';
import { finishStatus } from './job-status.js';
import {
  accountFinishedPods,
  hasTrackingFinalizer,
  removeTrackingFinalizer,
  writeStatus,
} from './job-tracking.js';
import { finishedCondition, type Job } from './job-view.js';

export interface JobControllerOptions {
  /** Retry back-off; kube's is 10s doubling up to 6 minutes. Tests shorten it. */
  backoff?: Partial<BackoffPolicy>;
}

const jobs = { group: 'batch', resource: 'jobs' };
const pods = { group: '', resource: 'pods' };

export class JobController extends ReconcilingController {
  private readonly wakeups: Wakeups;
  private readonly backoff: BackoffPolicy;

  constructor(ctx: ControllerContext, options: JobControllerOptions = {}) {
    super(ctx, { name: 'job', failures: { component: 'job controller', resource: jobs } });
    this.backoff = { ...defaultJobBackoff, ...options.backoff };
    this.wakeups = new Wakeups((key) => this.queue.add(key));
  }

  protected watches(): Watch[] {
    return [{ resource: jobs }, { resource: pods, keys: (pod) => controllerKey(pod, 'Job') }];
  }

  override stop(): void {
    super.stop();
    this.wakeups.stop();
  }

  async reconcile(key: string): Promise<undefined> {
    const { informers, registry, clock } = this.ctx;
    const { namespace, name } = splitKey(key);
    const named = () =>
      informers
        .for(pods)
        .list(namespace)
        .filter((p) => controllerRefOf(p)?.kind === 'Job' && controllerRefOf(p)?.name === name)
        .map(asPod);
    const found = informers.for(jobs).get(key) as Job | undefined;
    // Pods of a Job that is gone (or was recreated under the same name) must not stay held.
    const orphans = named().filter(
      (p) => !found || !isControlledBy(p, found) || found.metadata.deletionTimestamp,
    );
    await Promise.all(orphans.filter(hasTrackingFinalizer).map((p) => removeTrackingFinalizer(registry, p)));
    if (!found || found.metadata.deletionTimestamp) return undefined;
    const own = () => named().filter((p) => isControlledBy(p, found));
    if (finishedCondition(found)) {
      await Promise.all(
        own()
          .filter(hasTrackingFinalizer)
          .map((p) => removeTrackingFinalizer(registry, p)),
      );
      return this.expireFinished(key, found);
    }
    const job = await accountFinishedPods(registry, found, own);
    const plan = planJob(job, own(), clock.now(), this.backoff);
    const podStore = registry.for(pods);
    await Promise.all(
      plan.deletePods.map((pod) => ignoreNotFound(podStore.delete(namespace, pod, { dryRun: false }))),
    );
    await Promise.all(plan.create.map((index) => podStore.create(namespace, newJobPod(job, index))));
    const status = finishStatus(plan.status, own(), clock.now());
    const written = isDeepStrictEqual(status, job.status) ? job : await writeStatus(registry, job, status);
    if (plan.wakeAfterMs !== undefined) this.wakeups.after(key, plan.wakeAfterMs);
    if (finishedCondition(written)) return this.expireFinished(key, written);
    return undefined;
  }

  /** ttlSecondsAfterFinished: the finished Job goes (its pods follow through garbage collection). */
  private async expireFinished(key: string, job: Job): Promise<undefined> {
    const ttl = job.spec?.ttlSecondsAfterFinished;
    const finished = Date.parse(finishedCondition(job)?.lastTransitionTime ?? '');
    if (ttl === undefined || Number.isNaN(finished)) return undefined;
    const left = finished + ttl * 1000 - this.ctx.clock.now().getTime();
    if (left > 0) {
      this.wakeups.after(key, left);
      return undefined;
    }
    const { namespace, name } = splitKey(key);
    await ignoreNotFound(
      this.ctx.registry.for(jobs).delete(namespace, name, {
        dryRun: false,
        propagationPolicy: 'Background',
        preconditions: { uid: job.metadata.uid },
      }),
    );
    return undefined;
  }
}
