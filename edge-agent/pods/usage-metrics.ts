// Current usage of the gateway and its pods, shaped as metrics.k8s.io/v1beta1 NodeMetricsList and
// PodMetricsList, so that a later `kubectl top` only has to serve what the agent answers. CPU is
// a rate: the difference of two cumulative readings over their window. The last readings are
// kept, so a request within a few minutes of the previous one answers at once; otherwise the
// agent reads twice, `windowMs` apart (metrics-server reads every 15 s; we read on demand).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerRuntime, ContainerStats } from '../runtime/container-runtime.js';
import { type NodeSample, nanoCoresBetween, readNodeSample } from './node-usage.js';
import { ContainerNameLabel, PodNameLabel, PodNamespaceLabel } from './runtime-labels.js';

const apiVersion = 'metrics.k8s.io/v1beta1';

export interface ResourceUsage {
  cpu: string;
  memory: string;
}

export interface NodeMetrics {
  metadata: { name: string; creationTimestamp: string };
  timestamp: string;
  window: string;
  usage: ResourceUsage;
}

export interface PodMetrics {
  metadata: { name: string; namespace: string; creationTimestamp: string };
  timestamp: string;
  window: string;
  containers: Array<{ name: string; usage: ResourceUsage }>;
}

export interface MetricsList<T> {
  kind: 'NodeMetricsList' | 'PodMetricsList';
  apiVersion: typeof apiVersion;
  metadata: Record<string, never>;
  items: T[];
}

export interface UsageDeps {
  nodeName: string;
  runtime: Pick<ContainerRuntime, 'listContainerStats'>;
  readNode?: () => Promise<NodeSample>;
  now?: () => number;
  /** Wait between two readings when no recent one is kept (default 1 s). */
  windowMs?: number;
  /** A kept reading older than this is not used as the start of a window (default 5 min). */
  maxWindowMs?: number;
}

type Reading = { at: number; nanos: number };

export function cpuQuantity(nanoCores: number): string {
  return `${Math.round(nanoCores)}n`;
}

export function memoryQuantity(bytes: number): string {
  return `${Math.round(bytes / 1024)}Ki`;
}

/** A window as Go's time.Duration prints it, e.g. "1.002s". */
export function windowText(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

export class UsageMetrics {
  private lastNode: NodeSample | undefined;
  private readonly lastContainers = new Map<string, Reading>();
  private readonly now: () => number;

  constructor(private readonly deps: UsageDeps) {
    this.now = deps.now ?? Date.now;
  }

  async nodeMetrics(): Promise<MetricsList<NodeMetrics>> {
    const read = this.deps.readNode ?? (() => readNodeSample('/proc', this.now));
    let start = this.recent(this.lastNode) ? this.lastNode : undefined;
    if (!start) {
      start = await read();
      await sleep(this.deps.windowMs ?? 1_000);
    }
    const end = await read();
    this.lastNode = end;
    const cores = nanoCoresBetween(
      { at: start.at, nanos: start.busyNanoSeconds },
      { at: end.at, nanos: end.busyNanoSeconds },
    );
    const item: NodeMetrics = {
      metadata: { name: this.deps.nodeName, creationTimestamp: new Date(end.at).toISOString() },
      timestamp: new Date(end.at).toISOString(),
      window: windowText(end.at - start.at),
      usage: { cpu: cpuQuantity(cores), memory: memoryQuantity(end.workingSetBytes) },
    };
    return { kind: 'NodeMetricsList', apiVersion, metadata: {}, items: [item] };
  }

  async podMetrics(): Promise<MetricsList<PodMetrics>> {
    let stats = await this.deps.runtime.listContainerStats();
    const lacking = stats.some(
      (s) => s.cpuUsageNanoCores === undefined && !this.recent(this.lastContainers.get(s.id)),
    );
    if (lacking) {
      this.remember(stats);
      await sleep(this.deps.windowMs ?? 1_000);
      stats = await this.deps.runtime.listContainerStats();
    }
    const pods = new Map<string, PodMetrics>();
    for (const s of stats) {
      const namespace = s.labels[PodNamespaceLabel];
      const name = s.labels[PodNameLabel];
      if (!namespace || !name) continue; // not one of the agent's containers
      const { cores, windowMs } = this.rate(s);
      const at = new Date(s.timestamp).toISOString();
      const key = `${namespace}/${name}`;
      const pod = pods.get(key) ?? {
        metadata: { name, namespace, creationTimestamp: at },
        timestamp: at,
        window: windowText(windowMs),
        containers: [],
      };
      pod.containers.push({
        name: s.labels[ContainerNameLabel] ?? s.name,
        usage: { cpu: cpuQuantity(cores), memory: memoryQuantity(s.memoryWorkingSetBytes) },
      });
      pods.set(key, pod);
    }
    this.remember(stats);
    const items = [...pods.values()].sort((a, b) =>
      `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace}/${b.metadata.name}`,
      ),
    );
    return { kind: 'PodMetricsList', apiVersion, metadata: {}, items };
  }

  private rate(s: ContainerStats): { cores: number; windowMs: number } {
    const previous = this.lastContainers.get(s.id);
    if (previous && this.recent(previous) && s.timestamp > previous.at) {
      const cores = nanoCoresBetween(previous, { at: s.timestamp, nanos: s.cpuUsageCoreNanoSeconds });
      return { cores, windowMs: s.timestamp - previous.at };
    }
    return { cores: s.cpuUsageNanoCores ?? 0, windowMs: this.deps.windowMs ?? 1_000 };
  }

  private remember(stats: ContainerStats[]): void {
    const seen = new Set<string>();
    for (const s of stats) {
      seen.add(s.id);
      this.lastContainers.set(s.id, { at: s.timestamp, nanos: s.cpuUsageCoreNanoSeconds });
    }
    for (const id of this.lastContainers.keys()) if (!seen.has(id)) this.lastContainers.delete(id);
  }

  private recent(reading: { at: number } | undefined): boolean {
    return reading !== undefined && this.now() - reading.at <= (this.deps.maxWindowMs ?? 5 * 60_000);
  }
}
