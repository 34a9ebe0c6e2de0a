// A hub restart under a full fleet: kill -9 while every gateway runs its pods, start it again on
// the same data directory and ports, and measure until every gateway has its session back and
// every Node is Ready; then a grace period more, to see that no Node goes NotReady afterwards
// (heartbeats live in memory: a restarted hub must not take the fleet for dead). A pod that a
// gateway starts again in the meantime is a pod restart.
import { performance } from 'node:perf_hooks';
import type { HollowFleet } from './hollow-fleet.js';
import type { HubProcess } from './hub-process.js';
import { UsageSampler, type UsageSummary } from './process-usage.js';

export interface RestartResult {
  /** kill -9 until the new hub printed its ready line (store loaded, API and broker up). */
  hubUpSeconds: number;
  /** Until every gateway had a new session. */
  reconnectedSeconds: number;
  /** Seconds from the kill until a gateway had its session back: p50, p90, p99 over the fleet. */
  reconnectP50Seconds: number;
  reconnectP90Seconds: number;
  reconnectP99Seconds: number;
  /**
   * TLS connections the fleet opened until all were back, per gateway (1: each came back at its
   * first attempt past the hub's return; more: attempts that timed out or were dropped, work the
   * hub may have done for nothing).
   */
  attemptsPerGateway: number;
  /** Pod-route messages each gateway got back (its segment's retained routes at SUBSCRIBE). */
  routeMessagesPerGateway: number;
  /** Until every gateway was reconnected and every Node Ready, through the API. */
  readySeconds: number;
  converged: boolean;
  /** Nodes seen not Ready at any time after the restart (over the whole phase). */
  nodesNotReadyMeanwhile: number;
  /** Pods running before the kill that were started again, replaced or gone after it (0: none). */
  podRestarts: number;
  podsRunningAfter: number;
  /** The hub process from its restart until the end of the grace period. */
  hub: UsageSummary;
  /**
   * The bench process (the whole hollow fleet runs on its one thread) from the kill until every
   * gateway was back: CPU in cores and the share of time its event loop was busy. Near 1, the
   * fleet itself is what keeps the gateways from coming back faster.
   */
  fleetCores: number;
  fleetLoopBusy: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RestartContext {
  hub: HubProcess;
  fleet: HollowFleet;
  /** Names of the Nodes Ready as seen through the API (kept up to date by a watch). */
  ready: Set<string>;
  /** Called for every Node seen not Ready from now on. */
  onNotReady: (listener: ((node: string) => void) | undefined) => void;
  timeoutSeconds: number;
  /** How long to keep watching after all are Ready (the node monitor's grace period and more). */
  graceSeconds: number;
}

export async function restartHub(ctx: RestartContext): Promise<RestartResult> {
  const { hub, fleet } = ctx;
  const n = fleet.gateways.length;
  const connectsBefore = fleet.gateways.map((gw) => gw.counters.connects);
  const before = fleet.totals();
  // Pods that ran before the kill: each one started again, replaced or gone is a restart. Pods
  // a rollout had not started yet are not (they used to be counted, as starts after the kill).
  const runningBefore = new Set(fleet.gateways.flatMap((gw) => gw.desired.runningUids()));
  const notReady = new Set<string>();
  const start = Date.now();
  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  await hub.killAndRestart();
  ctx.onNotReady((node) => notReady.add(node));
  const hubUpSeconds = (Date.now() - start) / 1_000;
  const sampler = new UsageSampler(hub.pid);
  const deadline = start + ctx.timeoutSeconds * 1_000;
  const reconnected = () =>
    fleet.gateways.every((gw, i) => gw.connected && gw.counters.connects > connectsBefore[i]!);
  while (!reconnected() && Date.now() < deadline) await sleep(250);
  const reconnectedSeconds = (Date.now() - start) / 1_000;
  const fleetLoopBusy = performance.eventLoopUtilization(loopBefore).utilization;
  const cpu = process.cpuUsage(cpuBefore);
  const fleetCores = (cpu.user + cpu.system) / 1_000 / (reconnectedSeconds * 1_000);
  const back = fleet.totals();
  const attempts = back.attempts - before.attempts;
  const backAfter = fleet.gateways
    .map((gw) => (gw.counters.lastConnectAt - start) / 1_000)
    .sort((a, b) => a - b);
  const at = (q: number) => backAfter[Math.min(n - 1, Math.floor(q * n))] ?? Number.NaN;
  while (ctx.ready.size < n && Date.now() < deadline) await sleep(250);
  const readySeconds = (Date.now() - start) / 1_000;
  const converged = reconnected() && ctx.ready.size >= n;
  await sleep(ctx.graceSeconds * 1_000);
  ctx.onNotReady(undefined);
  const after = fleet.totals();
  return {
    hubUpSeconds,
    reconnectedSeconds,
    reconnectP50Seconds: at(0.5),
    reconnectP90Seconds: at(0.9),
    reconnectP99Seconds: at(0.99),
    attemptsPerGateway: attempts / n,
    routeMessagesPerGateway: (back.routeMessages - before.routeMessages) / n,
    readySeconds,
    converged,
    nodesNotReadyMeanwhile: notReady.size,
    podRestarts: after.podRestarts - before.podRestarts + lostSince(runningBefore, fleet),
    podsRunningAfter: after.pods,
    hub: sampler.stop(),
    fleetCores,
    fleetLoopBusy,
  };
}

/** Pods running before that no gateway runs now (replaced by the hub, or stopped). */
function lostSince(runningBefore: ReadonlySet<string>, fleet: HollowFleet): number {
  const now = new Set(fleet.gateways.flatMap((gw) => gw.desired.runningUids()));
  let lost = 0;
  for (const uid of runningBefore) if (!now.has(uid)) lost++;
  return lost;
}
