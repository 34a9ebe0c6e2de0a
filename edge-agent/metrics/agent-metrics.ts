// The agent's Prometheus metrics (prom-client), named as the kubelet and kube-proxy name theirs
// where there is one (kubelet_runtime_operations_*, kubelet_pod_start_duration_seconds,
// kubeproxy_sync_proxy_rules_duration_seconds) and flotilla_agent_* for the rest. Served by
// `flotilla agent --metrics-bind` (default 127.0.0.1:9180). One registry per agent, so agents
// sharing a process (simulated fleets, tests) keep theirs apart.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { AgentObserver } from './agent-observer.js';

const runtimeBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const podStartBuckets = [
  0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900,
];

export interface AgentMetricSources {
  /** Reports waiting for the hub (statuses, events). */
  outboxDepth?: () => number;
  /** Whether the MQTT session to the hub is up. */
  connected?: () => boolean;
}

export class AgentMetrics implements AgentObserver {
  readonly registry = new Registry();
  readonly sources: AgentMetricSources = {};
  private readonly runtimeDuration: Histogram<'operation_type'>;
  private readonly runtimeErrors: Counter<'operation_type'>;
  private readonly podStart: Histogram;
  private readonly syncDuration: Histogram;
  private readonly proxyDuration: Histogram<'kind'>;
  private readonly proxyPorts: Gauge;
  private readonly dnsQueries: Counter<'proto' | 'source'>;
  readonly connects: Counter;

  constructor() {
    const registers = [this.registry];
    const sources = this.sources;
    collectDefaultMetrics({ register: this.registry });
    this.runtimeDuration = new Histogram({
      name: 'kubelet_runtime_operations_duration_seconds',
      help: 'Duration in seconds of CRI runtime operations, by operation type.',
      labelNames: ['operation_type'],
      buckets: runtimeBuckets,
      registers,
    });
    this.runtimeErrors = new Counter({
      name: 'kubelet_runtime_operations_errors_total',
      help: 'Cumulative number of CRI runtime operation errors, by operation type.',
      labelNames: ['operation_type'],
      registers,
    });
    this.podStart = new Histogram({
      name: 'kubelet_pod_start_duration_seconds',
      help: 'Duration in seconds from the agent first seeing a pod to the pod running (pods this agent started).',
      buckets: podStartBuckets,
      registers,
    });
    this.syncDuration = new Histogram({
      name: 'flotilla_agent_sync_loop_duration_seconds',
      help: 'Duration in seconds of one pass of pod sync (runtime read, plan, actions, statuses).',
      buckets: runtimeBuckets,
      registers,
    });
    new Gauge({
      name: 'flotilla_agent_outbox_items',
      help: 'Statuses and events waiting in the outbox for the hub.',
      registers,
      collect() {
        this.set(sources.outboxDepth?.() ?? 0);
      },
    });
    new Gauge({
      name: 'flotilla_agent_hub_connected',
      help: '1 while the MQTT session to the hub is up, else 0.',
      registers,
      collect() {
        this.set(sources.connected?.() ? 1 : 0);
      },
    });
    this.connects = new Counter({
      name: 'flotilla_agent_hub_connects_total',
      help: 'MQTT sessions to the hub established (the first and every reconnect).',
      registers,
    });
    this.proxyDuration = new Histogram({
      name: 'kubeproxy_sync_proxy_rules_duration_seconds',
      help: 'Duration in seconds of applying the service proxy rules: full syncs and updates.',
      labelNames: ['kind'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.proxyPorts = new Gauge({
      name: 'flotilla_agent_proxy_service_ports',
      help: 'Service ports the service proxy has rules for.',
      registers,
    });
    this.dnsQueries = new Counter({
      name: 'flotilla_agent_dns_queries_total',
      help: 'DNS queries the service DNS answered, by transport and by where the answer came from (cluster records or upstream).',
      labelNames: ['proto', 'source'],
      registers,
    });
  }

  syncPass(seconds: number): void {
    this.syncDuration.observe(seconds);
  }

  podStarted(seconds: number): void {
    this.podStart.observe(seconds);
  }

  proxySynced(kind: 'full' | 'update', seconds: number, servicePorts: number): void {
    this.proxyDuration.observe({ kind }, seconds);
    this.proxyPorts.set(servicePorts);
  }

  dnsQuery(transport: 'udp' | 'tcp', source: 'cluster' | 'upstream'): void {
    this.dnsQueries.inc({ proto: transport, source });
  }

  /** The runtime, with each CRI call timed by its method name (and failures counted). */
  instrument(runtime: ContainerRuntime): ContainerRuntime {
    const duration = this.runtimeDuration;
    const errors = this.runtimeErrors;
    return new Proxy(runtime, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) => {
          const started = performance.now();
          const result = value.apply(target, args);
          if (!(result instanceof Promise)) return result;
          const operation = { operation_type: property };
          return result.then(
            (ok: unknown) => {
              duration.observe(operation, (performance.now() - started) / 1000);
              return ok;
            },
            (err: unknown) => {
              duration.observe(operation, (performance.now() - started) / 1000);
              errors.inc(operation);
              throw err;
            },
          );
        };
      },
    });
  }

  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
