// Dashboard summaries out: one retained compact message per node and per workload, published
// when its content changes (the `updated` time alone never causes a publish), cleared with an
// empty retained message when the node or workload is gone.
import type { Clock } from '../../api/clock.js';
import { encodePayload } from '../../api/mqtt/codec.js';
import type { NodeSummary, WorkloadSummary } from '../../api/mqtt/payloads/summaries.js';
import { buildTopic, parseTopic, routes } from '../../api/mqtt/route-table.js';
import type { KubeObject } from '../../api/types.js';
import type { Informer } from '../controllers/runtime/informer.js';
import { describeError } from '../controllers/runtime/object-failures.js';
import type { SharedInformers } from '../controllers/runtime/shared-informers.js';
import { conditionsOf } from './conditions.js';
import type { PublishFn } from './publish.js';
import { nodeNameOf } from './watched-kinds.js';
import { workloadOf } from './workload-of.js';

export interface RevisionView {
  publishedRevision(node: string): number | undefined;
  appliedRevision(node: string): number | undefined;
}

const maxListedNodes = 50;

export class SummaryPublisher {
  private readonly dirty = new Set<string>();
  private readonly last = new Map<string, string>();
  private readonly online = new Map<string, boolean>();
  private readonly nodes: Informer;
  private readonly pods: Informer;
  private readonly replicaSets: Informer;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    informers: SharedInformers,
    private readonly publish: PublishFn,
    private readonly revisions: RevisionView,
    private readonly clock: Clock,
    private readonly coalesceMs = 200,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.nodes = informers.for({ group: '', resource: 'nodes' });
    this.pods = informers.for({ group: '', resource: 'pods' });
    this.replicaSets = informers.for({ group: 'apps', resource: 'replicasets' });
    const node = (obj: KubeObject) => this.nodeChanged(obj.metadata.name ?? '');
    this.nodes.addHandler({ add: node, update: node, delete: node });
    const pod = (obj: KubeObject) => {
      this.nodeChanged(nodeNameOf(obj));
      const workload = this.workloadTopic(obj);
      if (workload) this.mark(workload);
    };
    this.pods.addHandler({ add: pod, update: pod, delete: pod });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  setOnline(node: string, online: boolean): void {
    this.online.set(node, online);
    this.nodeChanged(node);
  }

  nodeChanged(node: string): void {
    const topic = this.nodeTopic(node);
    if (topic) this.mark(topic);
  }

  private mark(topic: string): void {
    if (this.stopped) return;
    this.dirty.add(topic);
    this.timer ??= setTimeout(() => this.flush(), this.coalesceMs);
  }

  private flush(): void {
    this.timer = undefined;
    const topics = new Set(this.dirty);
    this.dirty.clear();
    const podsByTopic = new Map<string, KubeObject[]>();
    const add = (topic: string | undefined, pod: KubeObject) => {
      if (topic === undefined || !topics.has(topic)) return;
      const list = podsByTopic.get(topic);
      if (list) list.push(pod);
      else podsByTopic.set(topic, [pod]);
    };
    for (const pod of this.pods.list()) {
      add(this.nodeTopic(nodeNameOf(pod)), pod);
      add(this.workloadTopic(pod), pod);
    }
    for (const topic of topics) {
      // One summary that cannot be built (a malformed object) leaves the others untouched.
      try {
        const parsed = parseTopic(topic);
        const pods = podsByTopic.get(topic) ?? [];
        if (parsed?.route === routes.nodeSummary)
          this.send(topic, this.nodeSummary(parsed.params.node ?? '', pods));
        else if (parsed?.route === routes.workloadSummary) this.send(topic, workloadSummary(pods));
      } catch (err) {
        this.log(`edge-sync: summary ${topic} not published: ${describeError(err)}`);
      }
    }
  }

  private nodeTopic(node: string): string | undefined {
    return node ? buildTopic(routes.nodeSummary, { node }) : undefined;
  }

  /** Undefined when a name does not fit a topic level (never for valid objects). */
  private workloadTopic(pod: KubeObject): string | undefined {
    try {
      return buildTopic(
        routes.workloadSummary,
        workloadOf(pod, (ns, name) => this.replicaSets.get(`${ns}/${name}`)),
      );
    } catch {
      return undefined;
    }
  }

  private nodeSummary(node: string, pods: KubeObject[]): Omit<NodeSummary, 'updated'> | undefined {
    const obj = this.nodes.get(node);
    if (!obj && pods.length === 0) return undefined;
    const ready = conditionsOf(obj?.status).find((c) => c.type === 'Ready')?.status;
    const summary: Omit<NodeSummary, 'updated'> = {
      ready: ready === 'True' || ready === 'False' ? ready : 'Unknown',
      online: this.online.get(node) ?? false,
      pods: pods.length,
      running: pods.filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running').length,
    };
    const arch = obj?.metadata.labels?.['kubernetes.io/arch'];
    if (arch) summary.arch = arch;
    const revision = this.revisions.publishedRevision(node);
    if (revision !== undefined) summary.revision = revision;
    const applied = this.revisions.appliedRevision(node);
    if (applied !== undefined) summary.applied = applied;
    return summary;
  }

  private send(topic: string, content: object | undefined): void {
    const text = content === undefined ? '' : JSON.stringify(content);
    if (this.last.get(topic) === text || (text === '' && !this.last.has(topic))) return;
    if (text === '') this.last.delete(topic);
    else this.last.set(topic, text);
    const payload =
      content === undefined
        ? Buffer.alloc(0)
        : encodePayload({ ...content, updated: this.clock.now().getTime() });
    this.publish(topic, payload, { qos: routes.nodeSummary.qos, retain: true });
  }
}

function workloadSummary(pods: KubeObject[]): Omit<WorkloadSummary, 'updated'> | undefined {
  if (pods.length === 0) return undefined;
  const ready = pods.filter((p) =>
    conditionsOf(p.status).some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  const nodes = [...new Set(pods.map(nodeNameOf).filter(Boolean))].sort().slice(0, maxListedNodes);
  return { pods: pods.length, ready: ready.length, nodes };
}
