// What a user feels while the fleet is busy: one request of each kind in turn, one at a time
// (kubectl, not a load generator), timed from send to the last byte. The two gets are what
// kubectl sends for `kubectl get nodes` and `kubectl get pods -A`: server-side Tables in chunks of
// 500, following `continue` to the end. The mutating call creates a ConfigMap (a write through
// admission, store and watch fan-out that no controller reacts to).
import { LatencyHistogram, type LatencySummary } from './histogram.js';
import { type Endpoint, type RequestSpec, send, sendJson } from './http-client.js';

export type ProbeName = 'GET one pod' | 'kubectl get nodes' | 'kubectl get pods -A' | 'CREATE configmap';
export const probeNames: readonly ProbeName[] = [
  'GET one pod',
  'kubectl get nodes',
  'kubectl get pods -A',
  'CREATE configmap',
];

export interface ProbeResult extends LatencySummary {
  errors: number;
}

/** kubectl's Accept for `get`: a Table, falling back to the plain list. */
const tableAccept =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const kubectlChunkSize = 500;

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

  /** Each probe resolves true when every request of it got the expected status. */
  private probes(): Array<[ProbeName, () => Promise<boolean>]> {
    const ns = this.namespace;
    const pod = this.somePod();
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `probe-${this.created++}` } };
    return [
      ...(pod
        ? [
            [
              'GET one pod',
              () => this.expect({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods/${pod}` }, 200),
            ] as [ProbeName, () => Promise<boolean>],
          ]
        : []),
      ['kubectl get nodes', () => this.kubectlGet('/api/v1/nodes')],
      ['kubectl get pods -A', () => this.kubectlGet('/api/v1/pods')],
      [
        'CREATE configmap',
        () =>
          this.expect(
            { method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, body: JSON.stringify(configMap) },
            201,
          ),
      ],
    ];
  }

  private async expect(spec: RequestSpec, status: number): Promise<boolean> {
    const reply = await send(this.endpoint, spec);
    return reply.status === status;
  }

  /** Every chunk of a Table list, as kubectl fetches it before printing. */
  private async kubectlGet(path: string): Promise<boolean> {
    let token: string | undefined;
    do {
      const query = `limit=${kubectlChunkSize}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const table = await sendJson<{ metadata?: { continue?: string } }>(
        this.endpoint,
        { method: 'GET', path: `${path}?${query}`, headers: { Accept: tableAccept } },
        200,
      );
      token = table.metadata?.continue || undefined;
    } while (token !== undefined);
    return true;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      for (const [name, probe] of this.probes()) {
        if (this.stopped) return;
        const histogram = this.histograms.get(name) ?? new LatencyHistogram();
        this.histograms.set(name, histogram);
        const start = process.hrtime.bigint();
        const ok = await probe().catch(() => false);
        if (ok) histogram.recordSince(start);
        else this.errors.set(name, (this.errors.get(name) ?? 0) + 1);
      }
      // A user's pace, not a flood: the hub's own work is what is measured.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
