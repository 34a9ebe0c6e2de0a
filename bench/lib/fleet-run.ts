// One size of the fleet benchmark: a fresh hub process, N hollow gateways joining at a bounded
// rate, a minute idle, then a Deployment of N×K pods. Every phase has a deadline; a fleet that
// does not converge is recorded as far as it got and the run moves on.
import { join } from 'node:path';
import { ApiProbeProcess, type ProbeTarget } from './api-probe-process.js';
import type { ProbeName, ProbeResult } from './api-probes.js';
import { type SelfTime, topSelfTime } from './cpu-profile-top.js';
import { type RestartResult, restartHub } from './fleet-restart.js';
import { type ServiceChangeResult, serviceChange } from './fleet-service-change.js';
import { percentile } from './histogram.js';
import { HollowFleet } from './hollow-fleet.js';
import { closeEndpoint, createEndpoint, type Endpoint, sendJson } from './http-client.js';
import { startHubProcess } from './hub-process.js';
import { ObjectWatch, type WatchedObject } from './object-watch.js';
import { UsageSampler, type UsageSummary } from './process-usage.js';

export interface FleetRunOptions {
  gateways: number;
  podsPerGateway: number;
  joinRate: number;
  idleSeconds: number;
  /** Deadline of the join and of the rollout, each. */
  timeoutSeconds: number;
  /** Measure a kill -9 and restart of the hub at the end. */
  restart: boolean;
  /** Gateways sharing a `flotilla.io/site` label (a pod-route segment); 0: none, by /24. */
  gatewaysPerSite: number;
  repoRoot: string;
  profileDir: string | undefined;
  log: (line: string) => void;
}

interface Traffic {
  desiredMessages: number;
  desiredBytes: number;
  perGatewayMessages: number;
  perGatewayBytes: number;
}

export interface FleetRunResult {
  gateways: number;
  podsPerGateway: number;
  join: Traffic & {
    ready: number;
    seconds: number;
    converged: boolean;
    hub: UsageSummary;
    /** This process: the hollow fleet, the watches and the API probes (it shares the machine). */
    bench: UsageSummary;
    reconnects: number;
  };
  idle?: Traffic & { hub: UsageSummary; wireBytesPerGatewayPerMinute: number };
  rollout?: Traffic & {
    pods: number;
    running: number;
    converged: boolean;
    seconds: number;
    podP50Ms: number;
    podP99Ms: number;
    /** ADDED → bound to a node (the scheduler's share of the per-pod time). */
    boundP50Ms: number;
    boundP99Ms: number;
    hub: UsageSummary;
    bench: UsageSummary;
    api: Partial<Record<ProbeName, ProbeResult>>;
  };
  /** The hub idle again after the rollout, every pod Running. */
  loaded?: { hub: UsageSummary };
  serviceChange?: ServiceChangeResult;
  restart?: RestartResult;
  /** Why the rollout could not be measured (e.g. the API did not answer in time). */
  rolloutError?: string;
  /** Top self time in the hub during the join (with --profile). */
  joinProfile?: SelfTime[];
  /** Top self time in the hub during the rollout (with --profile). */
  rolloutProfile?: SelfTime[];
  hubExited?: boolean;
}

const isReady = (obj: WatchedObject) =>
  (obj.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Polls `done` every second until it holds, the deadline passes or the hub is gone. */
async function until(done: () => boolean, deadline: number, hubAlive: () => boolean): Promise<boolean> {
  while (!done()) {
    if (Date.now() > deadline || !hubAlive()) return false;
    await sleep(1_000);
  }
  return true;
}

function traffic(
  fleet: HollowFleet,
  since: { desiredMessages: number; desiredBytes: number },
  n: number,
): Traffic {
  const t = fleet.totals();
  const messages = t.desiredMessages - since.desiredMessages;
  const bytes = t.desiredBytes - since.desiredBytes;
  return {
    desiredMessages: messages,
    desiredBytes: bytes,
    perGatewayMessages: messages / n,
    perGatewayBytes: bytes / n,
  };
}

export async function runFleetSize(options: FleetRunOptions): Promise<FleetRunResult> {
  const { gateways: n, log } = options;
  const profileName = `hub-fleet-${n}.cpuprofile`;
  const hub = await startHubProcess(options.repoRoot, options.profileDir, {
    // 16,384 /24 blocks instead of the default 256; outside the service CIDR and the hollow InternalIPs.
    extraArgs: ['--cluster-cidr', '10.64.0.0/10'],
    // A profile is written only on a clean exit, which a busy hub is slow to reach.
    stopTimeoutMs: options.profileDir ? 180_000 : 10_000,
    profileName,
  });
  const hubAlive = () => {
    try {
      process.kill(hub.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const api: Endpoint = createEndpoint('hub', hub.apiUrl, { ca: hub.caPem, token: hub.token, maxSockets: 8 });
  const fleet = new HollowFleet({
    gateways: n,
    joinRate: options.joinRate,
    gatewaysPerSite: options.gatewaysPerSite,
    mqttUrl: hub.mqttUrl,
    joinString: hub.joinString,
    log,
  });
  const ready = new Set<string>();
  let onNotReady: ((node: string) => void) | undefined;
  const nodeWatch = new ObjectWatch(api, '/api/v1/nodes', (type, node) => {
    if (type !== 'DELETED' && isReady(node) && node.spec?.podCIDR) ready.add(node.metadata.name);
    else {
      ready.delete(node.metadata.name);
      onNotReady?.(node.metadata.name);
    }
  });
  const result = { gateways: n, podsPerGateway: options.podsPerGateway } as FleetRunResult;
  /** The join and the rollout, in the monotonic clock of the profile's samples. */
  let profileWindow: [number, number] | undefined;
  let rolloutWindow: [number, number] | undefined;
  try {
    await nodeWatch.start();
    // Join.
    let sampler = new UsageSampler(hub.pid);
    const benchSampler = new UsageSampler(process.pid);
    const joinStart = Date.now();
    const joinStartUs = nowUs();
    void fleet.start();
    const converged = await until(
      () => ready.size >= n,
      joinStart + options.timeoutSeconds * 1_000,
      hubAlive,
    );
    const joinEndUs = nowUs();
    const joined = fleet.totals();
    result.join = {
      ready: ready.size,
      seconds: (Date.now() - joinStart) / 1_000,
      converged,
      hub: sampler.stop(),
      bench: benchSampler.stop(),
      reconnects: joined.connects - joined.connected,
      ...traffic(fleet, { desiredMessages: 0, desiredBytes: 0 }, n),
    };
    log(
      `${n} gateways: ${ready.size} Ready after ${result.join.seconds.toFixed(0)} s${converged ? '' : ' (gave up)'}`,
    );
    profileWindow = [joinStartUs, joinEndUs];
    if (!hubAlive()) throw Object.assign(new Error('hub exited'), { hubExited: true });
    // Idle.
    const mark = fleet.totals();
    sampler = new UsageSampler(hub.pid);
    await sleep(options.idleSeconds * 1_000);
    const idleWire = fleet.totals().wireBytes - mark.wireBytes;
    result.idle = {
      hub: sampler.stop(),
      wireBytesPerGatewayPerMinute: idleWire / n / (options.idleSeconds / 60),
      ...traffic(fleet, mark, n),
    };
    log(
      `${n} gateways idle: ${result.idle.hub.cores.toFixed(2)} cores, ${result.idle.hub.rssMiBEnd.toFixed(0)} MiB`,
    );
    // Rollout.
    if (options.podsPerGateway > 0 && hubAlive()) {
      const rolloutStartUs = nowUs();
      try {
        result.rollout = await rollout(options, api, fleet, hub.pid, hubAlive, {
          apiUrl: hub.apiUrl,
          caPem: hub.caPem,
          token: hub.token,
          namespace: 'default',
        });
        rolloutWindow = [rolloutStartUs, nowUs()];
      } catch (err) {
        // A hub too busy to answer the API is a result too.
        result.rolloutError = (err as Error).message;
        log(`${n} gateways: rollout not measured: ${result.rolloutError}`);
      }
    }
    if (hubAlive()) {
      const loaded = new UsageSampler(hub.pid);
      await sleep(Math.min(options.idleSeconds, 30) * 1_000);
      result.loaded = { hub: loaded.stop() };
      log(
        `${n} gateways with their pods, idle: ${result.loaded.hub.cores.toFixed(2)} cores, ${result.loaded.hub.rssMiBEnd.toFixed(0)} MiB`,
      );
      result.serviceChange = await serviceChange(api, fleet);
      const { create, change } = result.serviceChange;
      log(
        `${n} gateways: a Service created: ${create.bytesPerGateway.toFixed(0)} B per gateway; changed: ${change.bytesPerGateway.toFixed(0)} B per gateway`,
      );
    }
    if (options.restart && hubAlive()) {
      result.restart = await restartHub({
        hub,
        fleet,
        ready,
        onNotReady: (listener) => {
          onNotReady = listener;
        },
        timeoutSeconds: options.timeoutSeconds,
        graceSeconds: 60,
      });
      const r = result.restart;
      log(
        `${n} gateways: hub kill -9 and restart: up in ${r.hubUpSeconds.toFixed(0)} s, all reconnected in ${r.reconnectedSeconds.toFixed(0)} s (p50 ${r.reconnectP50Seconds.toFixed(0)}, p90 ${r.reconnectP90Seconds.toFixed(0)}, p99 ${r.reconnectP99Seconds.toFixed(0)}; ${r.attemptsPerGateway.toFixed(2)} TLS attempts and ${r.routeMessagesPerGateway.toFixed(0)} pod-route messages per gateway), all Ready in ${r.readySeconds.toFixed(0)} s; ${r.podRestarts} pod restarts, ${r.nodesNotReadyMeanwhile} Nodes not Ready meanwhile`,
      );
    }
  } catch (err) {
    if ((err as { hubExited?: boolean }).hubExited) result.hubExited = true;
    else throw err;
  } finally {
    nodeWatch.stop();
    await fleet.stop();
    closeEndpoint(api);
    result.hubExited ||= !hubAlive();
    await hub.stop();
  }
  if (options.profileDir && profileWindow) {
    try {
      const profile = join(options.profileDir, profileName);
      result.joinProfile = topSelfTime(profile, 5, profileWindow);
      if (rolloutWindow) result.rolloutProfile = topSelfTime(profile, 15, rolloutWindow);
    } catch (err) {
      log(`no hub profile for ${n} gateways: ${(err as Error).message}`);
    }
  }
  return result;
}

async function rollout(
  options: FleetRunOptions,
  api: Endpoint,
  fleet: HollowFleet,
  pid: number,
  hubAlive: () => boolean,
  probeTarget: ProbeTarget,
): Promise<NonNullable<FleetRunResult['rollout']>> {
  const replicas = options.gateways * options.podsPerGateway;
  const seen = new Map<string, { added: number; bound?: number; running?: number }>();
  let probes: ApiProbeProcess | undefined;
  const podWatch = new ObjectWatch(
    api,
    '/api/v1/namespaces/default/pods?labelSelector=app%3Dfleet-bench',
    (type, pod, at) => {
      if (type === 'DELETED') return;
      const entry = seen.get(pod.metadata.uid) ?? { added: at };
      seen.set(pod.metadata.uid, entry);
      probes?.setPod(pod.metadata.name);
      if (entry.bound === undefined && pod.spec?.nodeName) entry.bound = at;
      if (entry.running === undefined && pod.status?.phase === 'Running' && isReady(pod)) entry.running = at;
    },
  );
  await podWatch.start();
  const mark = fleet.totals();
  const sampler = new UsageSampler(pid);
  const benchSampler = new UsageSampler(process.pid);
  const start = Date.now();
  await createDeployment(api, replicas);
  probes = new ApiProbeProcess(probeTarget);
  const running = () => [...seen.values()].filter((e) => e.running !== undefined).length;
  const converged = await until(
    () => running() >= replicas,
    start + options.timeoutSeconds * 1_000,
    hubAlive,
  );
  const seconds = (Date.now() - start) / 1_000;
  const hub = sampler.stop();
  const bench = benchSampler.stop();
  const apiResults = await probes.stop();
  podWatch.stop();
  const perPod = Float64Array.from(
    [...seen.values()].filter((e) => e.running !== undefined).map((e) => e.running! - e.added),
  ).sort();
  const toBound = Float64Array.from(
    [...seen.values()].filter((e) => e.bound !== undefined).map((e) => e.bound! - e.added),
  ).sort();
  options.log(
    `${options.gateways} gateways: ${running()}/${replicas} pods Running after ${seconds.toFixed(0)} s`,
  );
  return {
    pods: replicas,
    running: running(),
    converged,
    seconds,
    podP50Ms: percentile(perPod, 50),
    podP99Ms: percentile(perPod, 99),
    boundP50Ms: percentile(toBound, 50),
    boundP99Ms: percentile(toBound, 99),
    hub,
    bench,
    api: apiResults,
    ...traffic(fleet, mark, options.gateways),
  };
}

/** POST, again after a timeout (a busy hub): an AlreadyExists means an earlier try got through. */
async function createDeployment(api: Endpoint, replicas: number): Promise<void> {
  const spec = {
    method: 'POST',
    path: '/apis/apps/v1/namespaces/default/deployments',
    body: JSON.stringify(deployment(replicas)),
  } as const;
  for (let attempt = 1; ; attempt++) {
    try {
      await sendJson(api, spec, 201);
      return;
    } catch (err) {
      const message = (err as Error).message;
      if (message.includes('got 409')) return;
      if (attempt >= 5 || !message.includes('no reply')) throw err;
    }
  }
}

function deployment(replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'fleet-bench', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'fleet-bench' } },
      template: {
        metadata: { labels: { app: 'fleet-bench' } },
        spec: {
          nodeSelector: { 'kubernetes.io/arch': 'arm64' },
          containers: [
            { name: 'main', image: 'docker.io/library/busybox:1.36', command: ['sleep', 'infinity'] },
          ],
        },
      },
    },
  };
}
