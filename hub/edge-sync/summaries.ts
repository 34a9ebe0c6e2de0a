// Dashboard summaries out: one retained compact message per node and per workload, published
// when its content changes (the `updated` time alone never causes a publish), cleared with an
// empty retained message when the node or workload is gone. Only what changed is rebuilt: each
// summary topic keeps running counts that a pod's change adjusts (it takes back what the pod
// counted for before and adds what it counts for now), so a flush costs the same for a workload
// of 10 pods and of 100,000. A node's desired-state revision and the one it applied are shown only while
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
  /** Counts per summary topic (node and workload), kept as pods change. */
  private readonly tallies = new Map<string, Tally>();
  /** What each pod counts for now, to take back when it changes. */
  private readonly counted = new Map<string, Counted>();
  /** Per node behind its published revision: since when (hub clock ms). */
  private readonly behindSince = new Map<string, number>();
  private lagTimer: NodeJS.Timeout | undefined;
  private readonly nodes: Informer;
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
    const pods = informers.for({ group: '', resource: 'pods' });
    this.replicaSets = informers.for({ group: 'apps', resource: 'replicasets' });
    const node = (obj: KubeObject) => this.nodeChanged(obj.metadata.name ?? '');
    this.nodes.addHandler({ add: node, update: node, delete: node });
    pods.addHandler({
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
    const now: Counted = {
      topics,
      node: nodeNameOf(pod),
      running: (pod.status as { phase?: string } | undefined)?.phase === 'Running',
      ready: conditionsOf(pod.status).some((c) => c.type === 'Ready' && c.status === 'True'),
    };
    const before = this.counted.get(key);
    if (before && sameCount(before, now)) return;
    this.unindexPod(key);
    for (const topic of topics) {
      let tally = this.tallies.get(topic);
      if (!tally) {
        tally = { pods: 0, running: 0, ready: 0, nodes: new Map() };
        this.tallies.set(topic, tally);
      }
      count(tally, now, 1);
      this.mark(topic);
    }
    this.counted.set(key, now);
  }

  /** Takes back what the pod counted for, marking its topics changed. */
  private unindexPod(key: string): void {
    const before = this.counted.get(key);
    if (!before) return;
    for (const topic of before.topics) {
      const tally = this.tallies.get(topic);
      if (tally) {
        count(tally, before, -1);
        if (tally.pods === 0) this.tallies.delete(topic);
      }
      this.mark(topic);
    }
    this.counted.delete(key);
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
        const tally = this.tallies.get(topic);
        if (parsed?.route === routes.nodeSummary)
          this.send(topic, this.nodeSummary(parsed.params.node ?? '', tally));
        else if (parsed?.route === routes.workloadSummary) this.send(topic, workloadSummary(tally));
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

  private nodeSummary(node: string, tally: Tally | undefined): Omit<NodeSummary, 'updated'> | undefined {
    const obj = this.nodes.get(node);
    if (!obj && !tally) return undefined;
    const ready = conditionsOf(obj?.status).find((c) => c.type === 'Ready')?.status;
    const summary: Omit<NodeSummary, 'updated'> = {
      ready: ready === 'True' || ready === 'False' ? ready : 'Unknown',
      online: this.online.get(node) ?? false,
      pods: tally?.pods ?? 0,
      running: tally?.running ?? 0,
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

/** Running counts of the pods in one summary. */
interface Tally {
  pods: number;
  running: number;
  ready: number;
  /** Pods per node name. */
  nodes: Map<string, number>;
  /** The first node names in order, kept until a node joins or leaves the tally (not re-sorted per flush). */
  listed?: string[] | undefined;
}

/** What one pod counts for, and in which summaries. */
interface Counted {
  topics: string[];
  node: string;
  running: boolean;
  ready: boolean;
}

function sameCount(a: Counted, b: Counted): boolean {
  return (
    a.node === b.node &&
    a.running === b.running &&
    a.ready === b.ready &&
    a.topics.length === b.topics.length &&
    a.topics.every((t, i) => t === b.topics[i])
  );
}

function count(tally: Tally, pod: Counted, sign: 1 | -1): void {
  tally.pods += sign;
  if (pod.running) tally.running += sign;
  if (pod.ready) tally.ready += sign;
  if (!pod.node) return;
  const n = (tally.nodes.get(pod.node) ?? 0) + sign;
  if (n === 1 && sign === 1) tally.listed = undefined;
  if (n > 0) tally.nodes.set(pod.node, n);
  else if (tally.nodes.delete(pod.node)) tally.listed = undefined;
}

function workloadSummary(tally: Tally | undefined): Omit<WorkloadSummary, 'updated'> | undefined {
  if (!tally || tally.pods === 0) return undefined;
  tally.listed ??= firstInOrder(tally.nodes.keys(), maxListedNodes);
  return { pods: tally.pods, ready: tally.ready, nodes: tally.listed };
}

/** The `count` smallest names in order, in one pass (a rollout over 10,000 gateways re-sorted them all at every flush). */
export function firstInOrder(names: Iterable<string>, count: number): string[] {
  const first: string[] = [];
  for (const name of names) {
    if (first.length === count && name >= first[count - 1]!) continue;
    let i = first.length;
    while (i > 0 && first[i - 1]! > name) i--;
    first.splice(i, 0, name);
    if (first.length > count) first.pop();
  }
  return first;
}
