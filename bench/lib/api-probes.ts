// What a user feels while the fleet is busy: one request of each kind in turn, one at a time
// (kubectl, not a load generator), timed from send to the last byte. The mutating call creates a
// ConfigMap (a write through admission, store and watch fan-out that no controller reacts to).
import { LatencyHistogram, type LatencySummary } from './histogram.js';
import { type Endpoint, type RequestSpec, send } from './http-client.js';

export type ProbeName = 'GET one pod' | 'LIST nodes' | 'LIST pods -A' | 'CREATE configmap';

export interface ProbeResult extends LatencySummary {
  errors: number;
}

export class ApiProbes {
  private readonly histograms = new Map<ProbeName, LatencyHistogram>();
  private readonly errors = new Map<ProbeName, number>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private created = 0;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly namespace: string,
    /** A pod to GET; probes wait until there is one. */
    private readonly somePod: () => string | undefined,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<Record<ProbeName, ProbeResult>> {
    this.stopped = true;
    await this.loop;
    const out = {} as Record<ProbeName, ProbeResult>;
    for (const [name, histogram] of this.histograms)
      out[name] = { ...histogram.summarize(), errors: this.errors.get(name) ?? 0 };
    return out;
  }

  private specs(): Array<[ProbeName, RequestSpec, number]> {
    const ns = this.namespace;
    const pod = this.somePod();
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `probe-${this.created++}` } };
    return [
      ...(pod
        ? [['GET one pod', { method: 'GET', path: `/api/v1/namespaces/${ns}/pods/${pod}` }, 200] as const]
        : []),
      ['LIST nodes', { method: 'GET', path: '/api/v1/nodes' }, 200],
      ['LIST pods -A', { method: 'GET', path: '/api/v1/pods' }, 200],
      [
        'CREATE configmap',
        { method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, body: JSON.stringify(configMap) },
        201,
      ],
    ] as Array<[ProbeName, RequestSpec, number]>;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      for (const [name, spec, expected] of this.specs()) {
        if (this.stopped) return;
        const histogram = this.histograms.get(name) ?? new LatencyHistogram();
        this.histograms.set(name, histogram);
        const start = process.hrtime.bigint();
        const reply = await send(this.endpoint, spec).catch(() => undefined);
        if (reply?.status === expected) histogram.recordSince(start);
        else this.errors.set(name, (this.errors.get(name) ?? 0) + 1);
      }
      // A user's pace, not a flood: the hub's own work is what is measured.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
