// The CronJob controller: starts a Job per schedule time (node-cron wakes it; the controller's
// Clock decides what is due), applies the concurrency policy, catches up one missed run after
// downtime within startingDeadlineSeconds, and trims finished Jobs to the history limits.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import { kubeTime } from '../../apiserver/registry/object-lifecycle.js';
import { splitKey } from '../../client/informer.js';
import { ignoreNotFound, isApiError } from '../objects/api-writes.js';
import { controllerKey, isControlledBy } from '../objects/controller-ref.js';
import { Wakeups } from '../objects/wakeups.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import { type CronTrigger, NodeCronTrigger } from './cron-trigger.js';
import { type CronJob, jobRef, planCronJob } from './cronjob-plan.js';
import { localTimeZone } from './zoned-time.js';

export interface CronJobControllerOptions {
  /** What wakes the controller on schedule; node-cron unless a test brings its own. */
  trigger?: (wake: (key: string) => void) => CronTrigger;
  /** The zone for CronJobs without spec.timeZone; kube uses the controller manager's own. */
  localTimeZone?: string;
}

const cronJobs = { group: 'batch', resource: 'cronjobs' };
const jobs = { group: 'batch', resource: 'jobs' };

export class CronJobController extends ReconcilingController {
  private readonly wakeups: Wakeups;
  private readonly trigger: CronTrigger;
  private readonly zone: string;
  private readonly lastWarning = new Map<string, string>();

  constructor(ctx: ControllerContext, options: CronJobControllerOptions = {}) {
    super(ctx, { name: 'cronjob', failures: { component: 'cronjob controller', resource: cronJobs } });
    const wake = (key: string) => this.queue.add(key);
    this.wakeups = new Wakeups(wake);
    this.trigger = options.trigger?.(wake) ?? new NodeCronTrigger(wake, ctx.log);
    this.zone = options.localTimeZone ?? localTimeZone();
  }

  protected watches(): Watch[] {
    return [{ resource: cronJobs }, { resource: jobs, keys: (job) => controllerKey(job, 'CronJob') }];
  }

  override stop(): void {
    super.stop();
    this.wakeups.stop();
    this.trigger.stop();
  }

  async reconcile(key: string): Promise<undefined> {
    const { informers, registry, clock } = this.ctx;
    const cj = informers.for(cronJobs).get(key) as CronJob | undefined;
    if (!cj || cj.metadata.deletionTimestamp || cj.spec?.suspend) this.trigger.remove(key);
    else this.trigger.set(key, cj.spec?.schedule ?? '', cj.spec?.timeZone ?? this.zone);
    if (!cj) return undefined;
    const { namespace } = splitKey(key);
    const owned = informers
      .for(jobs)
      .list(namespace)
      .filter((j) => isControlledBy(j, cj));
    const now = clock.now();
    const plan = planCronJob(cj, owned, now, this.zone);
    this.warn(key, plan.warnings);
    const jobStore = registry.for(jobs);
    for (const name of plan.deleteJobs) {
      await ignoreNotFound(
        jobStore.delete(namespace, name, { dryRun: false, propagationPolicy: 'Background' }),
      );
    }
    const status = plan.status;
    if (plan.start) {
      const job = await this.createJob(cj, plan.start.job);
      if (job) status.active = [...(status.active ?? []), jobRef(job)];
      status.lastScheduleTime = kubeTime(plan.start.scheduledTime);
    }
    if (status.active?.length === 0) delete status.active;
    if (!isDeepStrictEqual(status, cj.status ?? {})) {
      await registry
        .for(cronJobs)
        .update(namespace, cj.metadata.name!, { ...cj, status }, { subresource: 'status' });
    }
    // A little past the time, so the clock has surely reached it (kube adds 100ms too). Besides
    // node-cron's wake-up: it covers @every, and a time node-cron noticed late (cron-trigger.ts).
    if (plan.wakeAt) this.wakeups.after(key, plan.wakeAt.getTime() - now.getTime() + 100);
    return undefined;
  }

  /** The created Job, or the one a previous attempt already created; undefined if it is finished. */
  private async createJob(cj: CronJob, body: KubeObject): Promise<KubeObject | undefined> {
    const store = this.ctx.registry.for(jobs);
    try {
      return await store.create(cj.metadata.namespace, body);
    } catch (err) {
      if (!isApiError(err, 'AlreadyExists')) throw err;
      const existing = await store.get(cj.metadata.namespace, body.metadata.name!);
      if (!isControlledBy(existing, cj)) throw err;
      return existing;
    }
  }

  /** Logs a warning once, not on every resync. */
  private warn(key: string, warnings: string[]): void {
    const text = warnings.join('; ');
    if (text && this.lastWarning.get(key) !== text) this.log.info(`${key}: ${text}`);
    if (text) this.lastWarning.set(key, text);
    else this.lastWarning.delete(key);
  }
}
