// Where the work queues and the scheduler report what they do, for the hub's Prometheus
// metrics (hub/prometheus/hub-metrics.ts). Process-wide, as client-go's workqueue metrics
// provider is: the hub sets it once at start; unset (tests that run controllers alone), nothing
// is recorded. Kept free of prom-client so the controllers do not depend on it.

export interface ControllerMetrics {
  /** A key was queued (not already pending) on the named queue. */
  queueAdded(queue: string): void;
  /** A key waited `seconds` between being queued and its reconcile starting. */
  queueWaited(queue: string, seconds: number): void;
  /** A reconcile took `seconds`; `failed` when it is to be retried. */
  reconciled(queue: string, seconds: number, failed: boolean): void;
  /** Keys now waiting in the named queue. */
  queueDepth(queue: string, depth: number): void;
  /** One scheduling attempt of a pod and how long the decision took. */
  scheduleAttempt(result: 'scheduled' | 'unschedulable' | 'error', seconds: number): void;
}

let current: ControllerMetrics | undefined;

export function setControllerMetrics(metrics: ControllerMetrics | undefined): void {
  current = metrics;
}

export function controllerMetrics(): ControllerMetrics | undefined {
  return current;
}
