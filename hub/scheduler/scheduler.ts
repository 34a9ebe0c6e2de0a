// The scheduler (kube-scheduler's role): watches pods that need a node, decides with the pure
// core (schedulePod over the incrementally maintained ClusterSnapshot), counts the pod against
// the chosen node at once (assume) so the next decision sees it, then binds it through the
// pods/binding write while already deciding the next pod. Pods that fit nowhere get the
// PodScheduled=False condition and a FailedScheduling event, and are retried with back-off or
// as soon as the cluster changes.
import { ApiError } from '../../api/errors.js';
import type { Logger } from '../../api/logger.js';
import { controllerMetrics } from '../client/controller-metrics.js';
import { EventRecorder } from '../client/event-recorder.js';
import type { Informer } from '../client/informer.js';
import { ObjectFailures } from '../client/object-failures.js';
import type { Controller, ControllerContext } from '../controllers/runtime/controller.js';
import { bindPod } from './bind-pod.js';
import { needsScheduling, nodeChangedForScheduling, podChanged } from './cluster-changes.js';
import type { Plugins } from './framework.js';
import { defaultPlugins } from './plugins/default-plugins.js';
import { podInfo, podKey } from './pod-info.js';
import { type ScheduleResult, schedulePod } from './schedule-pod.js';
import { SchedulingQueue, type SchedulingQueueOptions } from './scheduling-queue.js';
import { ClusterSnapshot } from './snapshot.js';
import { defaultSchedulerName, type NodeObject, type PodObject } from './types.js';
import { markUnschedulable } from './unschedulable-status.js';

/** Failure reasons that another pod's placement can lift. */
function dependsOnPods(reason: string): boolean {
  return reason.includes('affinity rules') || reason.includes('topology spread');
}

export interface SchedulerOptions extends SchedulingQueueOptions {
  schedulerName?: string;
  plugins?: Plugins;
  /** 0 (default) is kube's adaptive percentage. */
  percentageOfNodesToScore?: number;
}

/** The longest the scheduler places pods before letting other work run. */
const schedulingSliceMs = 20;

export class Scheduler implements Controller {
  readonly name = 'scheduler';
  readonly snapshot = new ClusterSnapshot();
  private readonly queue: SchedulingQueue;
  private readonly events: EventRecorder;
  private readonly failures: ObjectFailures;
  private readonly schedulerName: string;
  private readonly plugins: Plugins;
  /** Pods counted on a node whose binding is not yet confirmed by the informer. */
  private readonly assumed = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private pods: Informer | undefined;
  private startIndex = 0;
  private movePending = false;
  private dependentTimer: NodeJS.Timeout | undefined;
  private lastDependentRetry = 0;
  /** Waiting pods whose last failure involved other pods (affinity, spread). */
  private readonly waitingOnPods = new Set<string>();
  /** Started beside the controller manager (hub/main.ts), the scheduler logs as `scheduler`. */
  private readonly log: Logger;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly options: SchedulerOptions = {},
  ) {
    this.queue = new SchedulingQueue(options);
    this.log = ctx.log.child('scheduler');
    this.events = new EventRecorder(ctx.registry, ctx.clock, this.log);
    this.failures = new ObjectFailures(ctx.registry, ctx.clock, this.log, 'default-scheduler');
    this.schedulerName = options.schedulerName ?? defaultSchedulerName;
    this.plugins = options.plugins ?? defaultPlugins;
  }

  start(): void {
    const informers = this.ctx.informers;
    informers.for({ group: '', resource: 'namespaces' }).addHandler({
      add: (ns) => this.snapshot.setNamespace(ns.metadata.name!, ns.metadata.labels ?? {}),
      update: (ns) => this.snapshot.setNamespace(ns.metadata.name!, ns.metadata.labels ?? {}),
      delete: (ns) => this.snapshot.setNamespace(ns.metadata.name!, undefined),
    });
    informers.for({ group: '', resource: 'nodes' }).addHandler({
      add: (node) => this.nodeChanged(node as NodeObject),
      update: (node, old) => this.nodeChanged(node as NodeObject, old as NodeObject),
      delete: (node) => this.snapshot.removeNode(node.metadata.name!),
    });
    this.pods = informers.for({ group: '', resource: 'pods' });
    this.pods.addHandler({
      add: (pod) => this.podChanged(pod as PodObject),
      update: (pod, old) => this.podChanged(pod as PodObject, old as PodObject),
      delete: (pod) => this.podDeleted(pod as PodObject),
    });
    void this.run();
  }

  stop(): void {
    this.queue.close();
    clearTimeout(this.dependentTimer);
  }

  /** Resolves when no pod is queued for now and no binding or status write is in flight (tests). */
  async idle(): Promise<void> {
    while (this.queue.activeCount > 0 || this.inFlight.size > 0) {
      await Promise.all([...this.inFlight]);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private async run(): Promise<void> {
    let sliceStart = performance.now();
    for (;;) {
      // Pods queued by the hundred would otherwise be placed in one unbroken run of microtasks,
      // with API requests and gateway messages waiting behind it. Its own slice in each pass of
      // the event loop, beside the controllers' turns (background-turns.ts), not queued behind
      // them: 10,000 node reconciles waiting there slowed binding tenfold.
      if (performance.now() - sliceStart > schedulingSliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
      const key = await this.queue.pop();
      if (key === undefined) return;
      try {
        this.scheduleOne(key);
      } catch (err) {
        // A pod the scheduler cannot read (a malformed object already stored) fails alone:
        // reported on the pod, retried with its back-off, and the loop goes on with the next.
        this.assumed.delete(key);
        this.queue.backOff(key);
        this.failures.report(key, this.pods?.get(key), 'FailedScheduling', err);
      }
    }
  }

  private scheduleOne(key: string): void {
    const pod = this.pods?.get(key) as PodObject | undefined;
    if (!pod || !needsScheduling(pod, this.schedulerName) || this.assumed.has(key)) return;
    const started = performance.now();
    const result = schedulePod(pod, this.snapshot, this.plugins, {
      percentageOfNodesToScore: this.options.percentageOfNodesToScore,
      startIndex: this.startIndex,
    });
    controllerMetrics()?.scheduleAttempt(
      'nodeName' in result ? 'scheduled' : 'unschedulable',
      (performance.now() - started) / 1000,
    );
    this.startIndex = (this.startIndex + result.evaluatedNodes) % Math.max(1, this.snapshot.nodes().length);
    if ('nodeName' in result) {
      this.snapshot.assume(podInfo(pod), result.nodeName);
      this.assumed.add(key);
      this.queue.remove(key);
      this.waitingOnPods.delete(key);
      this.track(this.bind(pod, result.nodeName));
    } else {
      this.queue.backOff(key);
      if (Object.keys(result.reasons).some(dependsOnPods)) this.waitingOnPods.add(key);
      else this.waitingOnPods.delete(key);
      this.track(this.reportUnschedulable(pod, result));
    }
  }

  private async bind(pod: PodObject, nodeName: string): Promise<void> {
    const key = podKey(pod);
    try {
      await bindPod(this.ctx.registry, this.ctx.clock, pod, nodeName);
      const { namespace, name } = pod.metadata;
      await this.events.record(
        pod,
        'Normal',
        'Scheduled',
        `Successfully assigned ${namespace}/${name} to ${nodeName}`,
      );
    } catch (err) {
      this.forget(key);
      const latest = this.pods?.get(key) as PodObject | undefined;
      // Deleted, or bound by someone else meanwhile: nothing left to retry or report.
      if (!latest || !needsScheduling(latest, this.schedulerName)) return;
      this.queue.backOff(key);
      const message = `Binding rejected: ${(err as Error).message}`;
      this.log.info(`${key} on ${nodeName}: ${message}`);
      await this.events.record(pod, 'Warning', 'FailedScheduling', message);
    } finally {
      this.assumed.delete(key);
    }
  }

  private async reportUnschedulable(pod: PodObject, result: Exclude<ScheduleResult, { nodeName: string }>) {
    try {
      await markUnschedulable(this.ctx.registry, this.ctx.clock, pod, result.unschedulable);
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return; // deleted meanwhile
      this.log.warn(`status of ${podKey(pod)}: ${(err as Error).message}`);
    }
    await this.events.record(pod, 'Warning', 'FailedScheduling', result.unschedulable);
  }

  /** Undo an assumption: the snapshot goes back to what the informer says. */
  private forget(key: string): void {
    const latest = this.pods?.get(key) as PodObject | undefined;
    if (latest) this.snapshot.upsertPod(latest);
    else this.snapshot.removePod(key);
  }

  private nodeChanged(node: NodeObject, old?: NodeObject): void {
    this.snapshot.setNode(node);
    if (!old || nodeChangedForScheduling(node, old)) this.retryAll();
  }

  private podChanged(pod: PodObject, old?: PodObject): void {
    const key = podKey(pod);
    if (pod.spec?.nodeName) {
      this.assumed.delete(key);
      this.queue.remove(key);
      this.waitingOnPods.delete(key);
      const wasCounted = this.snapshot.nodeOf(key) !== undefined;
      this.snapshot.upsertPod(pod);
      const counted = this.snapshot.nodeOf(key) !== undefined;
      // A finished pod frees its node; a newly bound or relabelled one may satisfy affinity or spread.
      if (wasCounted && !counted) this.retryAll();
      else if (counted && (!old?.spec?.nodeName || podChanged(pod, old))) this.retryPodDependent();
      return;
    }
    if (this.assumed.has(key)) return; // our binding is on its way: keep the assumption
    this.snapshot.removePod(key);
    if (!needsScheduling(pod, this.schedulerName)) this.queue.remove(key);
    else if (!old || podChanged(pod, old) || !this.queue.has(key)) this.queue.add(key);
  }

  private podDeleted(pod: PodObject): void {
    const key = podKey(pod);
    this.assumed.delete(key);
    this.queue.remove(key);
    this.waitingOnPods.delete(key);
    if (this.snapshot.removePod(key)) this.retryAll();
  }

  /** A node appeared or changed, or a pod went away: retry every waiting pod (once per burst). */
  private retryAll(): void {
    if (this.movePending) return;
    this.movePending = true;
    queueMicrotask(() => {
      this.movePending = false;
      this.queue.moveAllToActive();
    });
  }

  /**
   * Another pod was placed: retry the waiting pods whose last failure was about other pods
   * (affinity, spread), as kube's queueing hints do — at most once per initial back-off, since
   * while a workload rolls out pods are placed many times a second.
   */
  private retryPodDependent(): void {
    if (this.dependentTimer || this.waitingOnPods.size === 0) return;
    const wait = Math.max(0, this.lastDependentRetry + (this.options.initialBackoffMs ?? 1000) - Date.now());
    this.dependentTimer = setTimeout(() => {
      this.dependentTimer = undefined;
      this.lastDependentRetry = Date.now();
      for (const key of this.waitingOnPods) if (this.queue.has(key)) this.queue.add(key);
    }, wait);
    this.dependentTimer.unref();
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}
