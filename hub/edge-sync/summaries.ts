// Dashboard summaries out: one retained compact message per node and per workload, published
// when its content changes (the `updated` time alone never causes a publish), cleared with an
// empty retained message when the node or workload is gone. Only what changed is rebuilt: pods
// are indexed by summary topic as they change, so a flush reads the pods of its dirty topics,
// not every pod. A node's desired-state revision and the one it applied are shown only while
// it has been behind for `syncLagMs` (10 s): every gateway's revision moves at each shared
// change (a Service), and republishing every node's summary for a lag that closes within a
// second told a dashboard nothing.
import type { Clock } from '../../api/clock.js';
import { encodePayload } from '../../api/mqtt/codec.js';
import type { NodeSummary, WorkloadSummary } from '../../api/mqtt/payloads/summaries.js';
import { buildTopic, parseTopic, routes } from '../../api/mqtt/route-table.js';
import type { KubeObject } from '../../api/types.js';
import { type Informer, objectKey } from '../controllers/runtime/informer.js';
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
const defaultSyncLagMs = 10_000;

export class SummaryPublisher {
  private readonly dirty = new Set<string>();
  private readonly last = new Map<string, string>();
  private readonly online = new Map<string, boolean>();
  /** Pod keys per summary topic (node and workload), kept as pods change. */
  private readonly podsByTopic = new Map<string, Set<string>>();
  private readonly topicsOfPod = new Map<string, string[]>();
  /** Per node behind its published revision: since when (hub clock ms). */
  private readonly behindSince = new Map<string, number>();
  private lagTimer: NodeJS.Timeout | undefined;
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
    private readonly syncLagMs = defaultSyncLagMs,
  ) {
    this.nodes = informers.for({ group: '', resource: 'nodes' });
    this.pods = informers.for({ group: '', resource: 'pods' });
    this.replicaSets = informers.for({ group: 'apps', resource: 'replicasets' });
    const node = (obj: KubeObject) => this.nodeChanged(obj.metadata.name ?? '');
    this.nodes.addHandler({ add: node, update: node, delete: node });
    this.pods.addHandler({
      add: (obj) => this.indexPod(obj),
      update: (obj) => this.indexPod(obj),
      delete: (obj) => this.unindexPod(objectKey(obj)),
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.lagTimer);
  }

  /**
   * The node's published or applied revision moved: its summary changes only when it starts or
   * stops showing a lag (behind for syncLagMs), not at every revision.
   */
  revisionChanged(node: string): void {
    const published = this.revisions.publishedRevision(node);
    const behind = published !== undefined && this.revisions.appliedRevision(node) !== published;
    const since = this.behindSince.get(node);
    if (behind && since === undefined) {
      this.behindSince.set(node, this.clock.now().getTime());
      this.lagTimer ??= setTimeout(() => this.checkLags(), this.syncLagMs);
    } else if (!behind && since !== undefined) {
      this.behindSince.delete(node);
      if (this.clock.now().getTime() - since >= this.syncLagMs) this.nodeChanged(node);
    } else if (behind && this.showsLag(node)) {
      this.nodeChanged(node); // still behind, on another revision
    }
  }

  private showsLag(node: string): boolean {
    const since = this.behindSince.get(node);
    return since !== undefined && this.clock.now().getTime() - since >= this.syncLagMs;
  }

  /** Nodes behind for syncLagMs now show it; the timer runs while any node is behind. */
  private checkLags(): void {
    this.lagTimer = undefined;
    if (this.stopped || this.behindSince.size === 0) return;
    const now = this.clock.now().getTime();
    let next = this.syncLagMs;
    for (const [node, since] of this.behindSince) {
      const age = now - since;
      if (age >= this.syncLagMs && age < this.syncLagMs * 2) this.nodeChanged(node);
      else if (age < this.syncLagMs) next = Math.min(next, this.syncLagMs - age);
    }
    this.lagTimer = setTimeout(() => this.checkLags(), Math.max(next, 50));
  }

  private indexPod(pod: KubeObject): void {
    const key = objectKey(pod);
    const topics = [this.nodeTopic(nodeNameOf(pod)), this.workloadTopic(pod)].filter(
      (t): t is string => t !== undefined,
    );
    this.unindexPod(key, topics);
    for (const topic of topics) {
      let set = this.podsByTopic.get(topic);
      if (!set) {
        set = new Set();
        this.podsByTopic.set(topic, set);
      }
      set.add(key);
      this.mark(topic);
    }
    this.topicsOfPod.set(key, topics);
  }

  /** Takes the pod out of the topics it was in (except `keep`), marking them changed. */
  private unindexPod(key: string, keep: string[] = []): void {
    for (const topic of this.topicsOfPod.get(key) ?? []) {
      if (keep.includes(topic)) continue;
      const set = this.podsByTopic.get(topic);
      set?.delete(key);
      if (set?.size === 0) this.podsByTopic.delete(topic);
      this.mark(topic);
    }
    this.topicsOfPod.delete(key);
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
    for (const topic of topics) {
      // One summary that cannot be built (a malformed object) leaves the others untouched.
      try {
        const parsed = parseTopic(topic);
        const pods = [...(this.podsByTopic.get(topic) ?? [])]
          .map((key) => this.pods.get(key))
          .filter((pod): pod is KubeObject => pod !== undefined);
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
    if (this.showsLag(node)) {
      const revision = this.revisions.publishedRevision(node);
      if (revision !== undefined) summary.revision = revision;
      const applied = this.revisions.appliedRevision(node);
      if (applied !== undefined) summary.applied = applied;
    }
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
