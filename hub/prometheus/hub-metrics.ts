// The hub's Prometheus metrics (prom-client), named as Kubernetes names its own where there is
// one — kube-apiserver's apiserver_*, kube-scheduler's scheduler_*, client-go's workqueue_* —
// and flotilla_* for what only Flotilla has (edge sync, the broker, gateways). Labels are
// bounded: verb, API group, resource, code, controller name, MQTT route; never a gateway, pod or
// object name, so a fleet of 10,000 gateways costs no more series than one of ten (edge-sync
// figures are fleet totals; a gateway's own lag is in its node summary). One registry per hub,
// so that hubs and agents sharing a process (tests) keep theirs apart.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ControllerMetrics } from '../client/controller-metrics.js';

/** kube-apiserver's request latency buckets (seconds). */
const requestBuckets = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];
/** Fast operations: store reads and writes, reconciles, scheduling decisions. */
const fastBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface HubMetricSources {
  /** Requests in flight by kind (the API's admission counters). */
  inflight?: () => { readOnly: number; mutating: number };
  /** Connected MQTT clients of the broker. */
  mqttSessions?: () => number;
  /** Gateways by their agent's presence: online, offline. */
  gateways?: () => { online: number; offline: number };
}

export class HubMetrics implements ControllerMetrics {
  readonly registry = new Registry();
  readonly apiRequests: Counter<'verb' | 'group' | 'resource' | 'subresource' | 'code'>;
  readonly apiDuration: Histogram<'verb' | 'group' | 'resource' | 'subresource'>;
  readonly longRunning: Gauge<'verb' | 'group' | 'resource'>;
  readonly storeOps: Counter<'operation' | 'resource' | 'result'>;
  readonly storeDuration: Histogram<'operation'>;
  readonly mqttPublished: Counter<'route'>;
  readonly mqttPublishedBytes: Counter<'route'>;
  readonly mqttReceived: Counter<'route'>;
  readonly brokerMessages: Counter;
  private readonly queueAdds: Counter<'name'>;
  private readonly queueDepthGauge: Gauge<'name'>;
  private readonly queueWait: Histogram<'name'>;
  private readonly queueWork: Histogram<'name'>;
  private readonly queueRetries: Counter<'name'>;
  private readonly scheduleAttempts: Counter<'result' | 'profile'>;
  private readonly scheduleDuration: Histogram<'result' | 'profile'>;

  /** Where the gauges read from, filled in as the parts they read start. */
  readonly sources: HubMetricSources;

  constructor(sources: HubMetricSources = {}) {
    this.sources = sources;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.apiRequests = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, API group, resource, subresource and HTTP response code.',
      labelNames: ['verb', 'group', 'resource', 'subresource', 'code'],
      registers,
    });
    this.apiDuration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, group, resource and subresource (watches and streams excluded).',
      labelNames: ['verb', 'group', 'resource', 'subresource'],
      buckets: requestBuckets,
      registers,
    });
    new Gauge({
      name: 'apiserver_current_inflight_requests',
      help: 'Maximal number of currently used inflight request limit of this apiserver per request kind.',
      labelNames: ['request_kind'],
      registers,
      collect() {
        const now = sources.inflight?.() ?? { readOnly: 0, mutating: 0 };
        this.set({ request_kind: 'readOnly' }, now.readOnly);
        this.set({ request_kind: 'mutating' }, now.mutating);
      },
    });
    this.longRunning = new Gauge({
      name: 'apiserver_longrunning_requests',
      help: 'Gauge of all active long-running apiserver requests (watches, logs, exec, attach, port-forward) by verb, group and resource.',
      labelNames: ['verb', 'group', 'resource'],
      registers,
    });
    this.storeOps = new Counter({
      name: 'flotilla_store_operations_total',
      help: 'Store operations by operation, resource (group/resource) and result (ok, error).',
      labelNames: ['operation', 'resource', 'result'],
      registers,
    });
    this.storeDuration = new Histogram({
      name: 'flotilla_store_operation_duration_seconds',
      help: 'Store operation latency in seconds by operation (a write includes its append to the datafile).',
      labelNames: ['operation'],
      buckets: fastBuckets,
      registers,
    });
    this.queueAdds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue.',
      labelNames: ['name'],
      registers,
    });
    this.queueDepthGauge = new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue.',
      labelNames: ['name'],
      registers,
    });
    this.queueWait = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested.',
      labelNames: ['name'],
      buckets: fastBuckets,
      registers,
    });
    this.queueWork = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes.',
      labelNames: ['name'],
      buckets: fastBuckets,
      registers,
    });
    this.queueRetries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue.',
      labelNames: ['name'],
      registers,
    });
    this.scheduleAttempts = new Counter({
      name: 'scheduler_schedule_attempts_total',
      help: 'Number of attempts to schedule pods, by the result. unschedulable means a pod could not be scheduled.',
      labelNames: ['result', 'profile'],
      registers,
    });
    this.scheduleDuration = new Histogram({
      name: 'scheduler_scheduling_attempt_duration_seconds',
      help: 'Scheduling attempt latency in seconds (the scheduling decision, binding excluded).',
      labelNames: ['result', 'profile'],
      buckets: fastBuckets,
      registers,
    });
    this.mqttPublished = new Counter({
      name: 'flotilla_edgesync_messages_sent_total',
      help: 'MQTT messages the hub published to gateways and dashboards, by route (desired state snapshots and deltas, shared state, requests, summaries): fleet totals.',
      labelNames: ['route'],
      registers,
    });
    this.mqttPublishedBytes = new Counter({
      name: 'flotilla_edgesync_bytes_sent_total',
      help: 'Payload bytes of the MQTT messages the hub published, by route: fleet totals.',
      labelNames: ['route'],
      registers,
    });
    this.mqttReceived = new Counter({
      name: 'flotilla_edgesync_messages_received_total',
      help: 'MQTT messages the hub received from gateways, by route (acks, statuses, heartbeats, replies): fleet totals.',
      labelNames: ['route'],
      registers,
    });
    new Gauge({
      name: 'flotilla_broker_sessions',
      help: 'MQTT clients connected to the embedded broker (gateways, dashboards).',
      registers,
      collect() {
        this.set(sources.mqttSessions?.() ?? 0);
      },
    });
    this.brokerMessages = new Counter({
      name: 'flotilla_broker_messages_total',
      help: 'Messages routed by the embedded broker (every publish, from any client or the hub).',
      registers,
    });
    new Gauge({
      name: 'flotilla_gateways',
      help: 'Gateways by state: online (its agent connected) or offline (its last will or a clean stop), as their presence says.',
      labelNames: ['state'],
      registers,
      collect() {
        const now = sources.gateways?.() ?? { online: 0, offline: 0 };
        this.set({ state: 'online' }, now.online);
        this.set({ state: 'offline' }, now.offline);
      },
    });
  }

  queueAdded(queue: string): void {
    this.queueAdds.inc({ name: queue });
  }

  queueWaited(queue: string, seconds: number): void {
    this.queueWait.observe({ name: queue }, seconds);
  }

  reconciled(queue: string, seconds: number, failed: boolean): void {
    this.queueWork.observe({ name: queue }, seconds);
    if (failed) this.queueRetries.inc({ name: queue });
  }

  queueDepth(queue: string, depth: number): void {
    this.queueDepthGauge.set({ name: queue }, depth);
  }

  scheduleAttempt(result: 'scheduled' | 'unschedulable' | 'error', seconds: number): void {
    const labels = { result, profile: 'default-scheduler' };
    this.scheduleAttempts.inc(labels);
    this.scheduleDuration.observe(labels, seconds);
  }

  /** The exposition text and its content type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
