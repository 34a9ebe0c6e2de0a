// Pod sync, the kubelet half of the edge agent. Each pass reads the runtime, runs the probes
// that are due, reports the statuses that changed, plans with planPodActions and hands each
// pod's actions to its worker. Everything it needs to decide is in the runtime's labels and
// annotations, so a new PodManager on the same runtime adopts running pods untouched. Pods
// whose disconnect policy ran out while the hub is away are held stopped (hold-tracker.ts).
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { DesiredState } from '../../api/mqtt/payloads/desired-state.js';
import type { PodStatusItem } from '../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../api/types.js';
import { kubeletBackoff } from './backoff.js';
import { DesiredIndex } from './desired-index.js';
import { type ExecutorDeps, executePodActions } from './execute-pod-actions.js';
import { finalizePod } from './finalize-pod.js';
import { HoldTracker } from './hold-tracker.js';
import { ImagePuller } from './image-puller.js';
import { planPodActions } from './plan-pod-actions.js';
import type { Action } from './pod-actions.js';
import { removeStalePodDirs } from './pod-dirs.js';
import { PodEvents } from './pod-events.js';
import { type LogDeps, type LogSlice, readPodLogs, readPodLogsFrom } from './pod-log-request.js';
import type { LogReadOptions, PodManagerApi } from './pod-manager-contract.js';
import type { PodManagerOptions } from './pod-manager-options.js';
import { observeRuntime, PodRecords } from './pod-records.js';
import { groupByPod, type PodRuntime } from './pod-runtime-view.js';
import { podName, podNamespace, podUid } from './pod-spec.js';
import { PodStatusReporter } from './pod-status-reporter.js';
import { PodWorkers } from './pod-workers.js';
import { ProbeManager } from './probe-manager.js';
import { runningProbeTargets } from './probe-targets.js';
import { readRuntime } from './read-runtime.js';
import { VolumeRefresher } from './refresh-volumes.js';
import { ServiceAccountTokens } from './service-account-tokens.js';
import { SyncLoop, settledWithin } from './sync-loop.js';

export type { PodManagerOptions };

/** How long the first pass waits for the first probes (a probe's own timeout may be longer). */
const firstProbesWaitMs = 2000;

export class PodManager implements PodManagerApi {
  private readonly options: PodManagerOptions;
  private readonly records = new PodRecords();
  private readonly workers = new PodWorkers();
  private readonly tokens: ServiceAccountTokens;
  private readonly volumes: VolumeRefresher;
  private readonly probes: ProbeManager;
  private readonly puller: ImagePuller;
  private readonly events: PodEvents;
  private readonly statuses: PodStatusReporter;
  private readonly holds: HoldTracker;
  private readonly loop: SyncLoop;
  private desired = new DesiredIndex();
  /**
   * Pods of the current desired state whose sync threw (a malformed pod the hub sent): left out
   * of every pass, logged and reported once, so that they cannot stop the others. A new desired
   * state tries them again.
   */
  private broken = new Set<string>();
  /** Until the first probes have answered, readiness is unknown: the first pass waits for them. */
  private primed = false;

  constructor(options: PodManagerOptions) {
    this.options = options;
    this.tokens = new ServiceAccountTokens(options.tokens, options.clock, options.tokenPolicy);
    this.volumes = new VolumeRefresher(this.tokens);
    const now = () => options.clock.now().getTime();
    this.puller = new ImagePuller(
      options.runtime,
      now,
      options.pullBackoff ?? kubeletBackoff,
      options.pullTimeoutMs ?? 300_000,
    );
    this.events = new PodEvents(options.reports, options.clock, (uid) => this.desired.pod(uid));
    this.probes = new ProbeManager(options.runtime, {
      failed: (target, kind, output) =>
        this.events.emit(target.podUid, 'Warning', 'Unhealthy', `${kind} probe failed: ${output}`),
      changed: () => this.loop.request(),
    });
    this.statuses = new PodStatusReporter({
      reports: options.reports,
      probes: this.probes,
      record: (uid) => this.records.of(uid),
      nodeName: options.nodeName,
      hostIP: options.hostIP,
      runtimeName: this.runtimeName,
      observer: options.observer,
    });
    this.holds = new HoldTracker(options.hubContact, this.records, this.events, options.log);
    this.loop = new SyncLoop(() => this.timedPass(), options.syncIntervalMs ?? 1000, options.log);
  }

  setDesired(state: DesiredState): void {
    this.desired = new DesiredIndex(state);
    this.broken = new Set();
    this.loop.request();
  }

  start(): Promise<void> {
    return this.loop.start();
  }

  /** Stops syncing and waits for the actions in progress; pods keep running (the next agent adopts them). */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.workers.drain();
  }

  /** One full pass, waiting for every action and probe it started (tests; a sync on demand). */
  async syncOnce(): Promise<void> {
    await Promise.allSettled(await this.pass());
    await this.workers.drain();
    await this.puller.settled();
  }

  runningPods(): { pod: KubeObject; status: PodStatusItem['status'] }[] {
    return this.desired.pods().flatMap((pod) => {
      const record = this.records.all.get(podUid(pod));
      if (!record?.lastReported || record.finalized) return [];
      return [{ pod, status: record.lastReported }];
    });
  }

  readLogs(
    namespace: string,
    name: string,
    container: string | undefined,
    options: LogReadOptions,
  ): Promise<string> {
    const pod = this.desired.podByName(namespace, name);
    return readPodLogs(pod, { namespace, name, container, ...options }, this.logDeps());
  }

  readLogsFrom(
    namespace: string,
    name: string,
    container: string | undefined,
    offset: number,
  ): Promise<LogSlice> {
    const pod = this.desired.podByName(namespace, name);
    return readPodLogsFrom(pod, { namespace, name, container }, offset, this.logDeps());
  }

  private logDeps(): LogDeps {
    return {
      runtime: this.options.runtime,
      record: (uid) => this.records.of(uid),
      probes: this.probes,
      runtimeName: this.runtimeName,
      podDir: (uid) => this.podDir(uid),
    };
  }

  private get runtimeName(): string {
    return this.options.runtimeName ?? 'containerd';
  }

  private podDir(uid: string): string {
    return join(this.options.dataDir, 'pods', uid);
  }

  /** Returns the work it started (actions, probes) without waiting for it. */
  /** A pass, timed for the agent's metrics. */
  private async timedPass(): Promise<Promise<unknown>[]> {
    const observer = this.options.observer;
    if (!observer?.syncPass) return this.pass();
    const started = performance.now();
    try {
      return await this.pass();
    } finally {
      observer.syncPass((performance.now() - started) / 1000);
    }
  }

  private async pass(): Promise<Promise<unknown>[]> {
    const since = this.workers.mark();
    const snapshot = await readRuntime(this.options.runtime).catch((error) => {
      this.options.log.warn(`cannot read the runtime: ${error instanceof Error ? error.message : error}`);
      return undefined;
    });
    if (!snapshot) return [];
    const desired = this.desired;
    const now = this.options.clock.now().getTime();
    const grouped = groupByPod(snapshot);
    this.events.remember(grouped);
    const networkReady = this.options.podCidrReady?.() ?? true;
    let pods = desired.pods().filter((pod) => !this.broken.has(podUid(pod)));
    this.eachPod(pods, (pod) => observeRuntime(this.records.of(podUid(pod)), grouped.get(podUid(pod)), now));
    const simulated = this.options.runtime.simulatedConnect !== undefined;
    const targets = this.eachPod(pods, (pod) =>
      runningProbeTargets([pod], grouped, this.options.hostIP, simulated),
    );
    const probeWork = this.probes.tick(targets.flat(), now);
    if (!this.primed) {
      // After an agent restart, adopted containers would otherwise flap to unready.
      await settledWithin(probeWork, firstProbesWaitMs);
      this.primed = true;
    }
    const held = this.holds.update(pods, now);
    const resend = this.holds.resendDue();
    this.eachPod(pods, (pod) =>
      this.statuses.report(pod, grouped.get(podUid(pod)), now, networkReady, resend),
    );
    pods = pods.filter((pod) => !this.broken.has(podUid(pod)));
    const actions = planPodActions({
      pods,
      failed: (pod, error) => this.quarantine(pod, error),
      runtime: grouped,
      records: this.records.all,
      images: snapshot.images,
      unhealthy: this.probes.unhealthy(),
      now,
      networkReady,
      crashBackoff: this.options.crashBackoff ?? kubeletBackoff,
      pullBackoff: this.options.pullBackoff ?? kubeletBackoff,
      sandboxBackoff: this.options.sandboxBackoff ?? kubeletBackoff,
      held,
    });
    const work = [...this.dispatch(actions, since), ...this.refreshVolumesOf(pods, grouped, since)];
    this.forgetGone(desired, grouped, since);
    work.push(
      removeStalePodDirs(
        this.options.dataDir,
        (uid) => this.keeps(uid, desired, grouped),
        this.options.cgroupRoot,
      ),
    );
    return [...work, ...probeWork];
  }

  /** Runs `step` for each pod; a pod whose step throws is quarantined, the others go on. */
  private eachPod<T>(pods: KubeObject[], step: (pod: KubeObject) => T): T[] {
    const results: T[] = [];
    for (const pod of pods) {
      if (this.broken.has(podUid(pod))) continue;
      try {
        results.push(step(pod));
      } catch (error) {
        this.quarantine(pod, error);
      }
    }
    return results;
  }

  private quarantine(pod: KubeObject, error: unknown): void {
    const uid = podUid(pod);
    if (this.broken.has(uid)) return;
    this.broken.add(uid);
    const message = `pod cannot be synced: ${error instanceof Error ? error.message : String(error)}`;
    this.options.log.info(
      `${podNamespace(pod)}/${podName(pod)}: ${message}; skipped until the next desired state`,
    );
    this.events.emit(uid, 'Warning', 'FailedSync', message);
  }

  private dispatch(actions: Action[], since: number): Promise<unknown>[] {
    const byPod = new Map<string, Action[]>();
    for (const action of actions) {
      if (!this.workers.isIdle(action.uid, since)) continue;
      if (action.type === 'wait') {
        // Only remembered (and reported): no worker, no resync.
        void executePodActions([action], this.executorDeps(), this.events.for(action.uid));
        continue;
      }
      byPod.set(action.uid, [...(byPod.get(action.uid) ?? []), action]);
    }
    return [...byPod].map(([uid, list]) =>
      this.workers.dispatch(uid, async () => {
        if (await executePodActions(list, this.executorDeps(), this.events.for(uid))) this.loop.request();
      }),
    );
  }

  /** Rewrites the volume files of running pods whose config maps or secrets changed. */
  private refreshVolumesOf(pods: KubeObject[], grouped: Map<string, PodRuntime>, since: number) {
    return this.eachPod(pods, (pod) => {
      const uid = podUid(pod);
      const key = this.volumes.due(pod, this.desired, grouped.get(uid)?.sandboxes[0]?.state === 'READY');
      if (key === undefined || !this.workers.isIdle(uid, since)) return [];
      const deps = {
        podDir: this.podDir(uid),
        desired: this.desired,
        event: this.events.for(uid),
        tokens: this.tokens,
      };
      return [this.workers.dispatch(uid, () => this.volumes.refresh(pod, key, deps))];
    }).flat();
  }

  /** Forgets pods gone from both the desired state and the runtime. */
  private forgetGone(desired: DesiredIndex, grouped: Map<string, PodRuntime>, since: number): void {
    for (const uid of new Set([...this.records.all.keys(), ...this.events.known()])) {
      if (this.keeps(uid, desired, grouped) || !this.workers.isIdle(uid, since)) continue;
      this.records.all.delete(uid);
      this.events.forget(uid);
      this.volumes.forget(uid);
      this.workers.forget(uid);
    }
  }

  private keeps(uid: string, desired: DesiredIndex, grouped: Map<string, PodRuntime>): boolean {
    return desired.pod(uid) !== undefined || grouped.has(uid) || this.workers.isBusy(uid);
  }

  private executorDeps(): ExecutorDeps {
    const desired = this.desired;
    return {
      runtime: this.options.runtime,
      puller: this.puller,
      nodeName: this.options.nodeName,
      hostIP: this.options.hostIP,
      cgroupRoot: this.options.cgroupRoot,
      dns: this.options.dns,
      nodeCapacity: { cpu: cpus().length, memory: totalmem() },
      podDir: (uid) => this.podDir(uid),
      configMap: (namespace, name) => desired.configMap(namespace, name),
      secret: (namespace, name) => desired.secret(namespace, name),
      tokens: this.tokens,
      pod: (uid) => desired.pod(uid),
      record: (uid) => this.records.of(uid),
      finalize: async (uid) => {
        const pod = desired.pod(uid);
        if (!pod) return;
        await finalizePod(pod, {
          runtime: this.options.runtime,
          now: () => this.options.clock.now().getTime(),
          build: (target, runtime, now) => this.statuses.build(target, runtime, now, true),
          reportFinal: (target, status, now) => this.statuses.reportFinal(target, status, now),
        });
      },
      pulled: () => this.loop.request(),
      log: this.options.log,
      now: () => this.options.clock.now().getTime(),
      sandboxBackoff: this.options.sandboxBackoff ?? kubeletBackoff,
    };
  }
}
