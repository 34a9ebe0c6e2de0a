// Dashboard summaries out: one retained compact message per node and per workload, published
// when its content changes (the `updated` time alone never causes a publish), cleared with an
// empty retained message when the node or workload is gone — whichever way it went (background,
// foreground or orphan cascade, its namespace deleted) — and, after a start, for any retained
// summary the broker still holds of an object that no longer exists (adoptRetained). Counts are
// kept as pods change (summary-tally.ts); a node's revisions are shown only while it lags
// (revision-lag.ts).
import type { Clock } from '../../api/clock.js';
import { type Logger, silentLogger } from '../../api/logger.js';
import { encodePayload } from '../../api/mqtt/codec.js';
import type { NodeSummary, WorkloadSummary } from '../../api/mqtt/payloads/summaries.js';
import { buildTopic, parseTopic, routes } from '../../api/mqtt/route-table.js';
import type { KubeObject } from '../../api/types.js';
import { type Informer, objectKey } from '../client/informer.js';
import { describeError } from '../client/object-failures.js';
import type { SharedInformers } from '../client/shared-informers.js';
import { labels as wellKnown } from '../controllers/objects/well-known.js';
import { conditionsOf } from './conditions.js';
import { leaseNamespace } from './node-lease.js';
import type { PublishFn } from './publish.js';
import { defaultSyncLagMs, RevisionLag, type RevisionView } from './revision-lag.js';
import { siteLabel } from './segments.js';
import { type Counted, count, emptyTally, listedNodes, sameCount, type Tally } from './summary-tally.js';
import { nodeNameOf } from './watched-kinds.js';
import { workloadKinds } from './workload-kinds.js';
import { controllerOf, workloadOf } from './workload-of.js';

const maxListedNodes = 50;
/** What `last` holds for a topic the broker had retained before this publisher's first flush. */
const adopted = '\0retained';
const byReplicaSet = 'summaries/replicaset';

export class SummaryPublisher {
  private readonly dirty = new Set<string>();
  private readonly last = new Map<string, string>();
  private readonly online = new Map<string, { online: boolean; since: number }>();
  /** Counts per summary topic (node and workload), kept as pods change. */
  private readonly tallies = new Map<string, Tally>();
  /** What each pod counts for now, to take back when it changes. */
  private readonly counted = new Map<string, Counted>();
  private readonly lag: RevisionLag;
  private readonly nodes: Informer;
  private readonly pods: Informer;
  private readonly leases: Informer;
  private readonly workloads = new Map<string, Informer>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    informers: SharedInformers,
    private readonly publish: PublishFn,
    private readonly revisions: RevisionView,
    private readonly clock: Clock,
    private readonly coalesceMs = 200,
    private readonly log: Logger = silentLogger,
    syncLagMs = defaultSyncLagMs,
  ) {
    this.lag = new RevisionLag(revisions, clock, (node) => this.nodeChanged(node), syncLagMs);
    this.nodes = informers.for({ group: '', resource: 'nodes' });
    this.pods = informers.for({ group: '', resource: 'pods' });
    // A gateway not seen to come or go since the hub started is dated by its Lease (its last
    // heartbeat the hub persisted), which the node lifecycle controller follows anyway.
    this.leases = informers.for({ group: 'coordination.k8s.io', resource: 'leases' });
    this.pods.addIndex(byReplicaSet, (pod) => {
      const owner = controllerOf(pod);
      return owner?.kind === 'ReplicaSet' ? `${pod.metadata.namespace}/${owner.name}` : undefined;
    });
    for (const [kind, where] of workloadKinds) this.workloads.set(kind, informers.for(where));
    const node = (obj: KubeObject) => this.nodeChanged(obj.metadata.name ?? '');
    this.nodes.addHandler({ add: node, update: node, delete: node });
    const lease = (obj: KubeObject) => {
      const name = obj.metadata.name ?? '';
      if (obj.metadata.namespace === leaseNamespace && !this.online.has(name)) this.nodeChanged(name);
    };
    this.leases.addHandler({ add: lease, update: lease, delete: lease });
    for (const [kind, informer] of this.workloads) {
      const changed = (obj: KubeObject) => this.workloadChanged(kind, obj);
      informer.addHandler({ add: changed, update: changed, delete: changed });
    }
    // A ReplicaSet that appears, or gains or loses its Deployment (an orphaning delete), moves
    // its pods between the Deployment's summary and its own.
    this.workloads.get('replicaset')!.addHandler({
      add: (rs) => this.recountReplicaSet(rs),
      update: (rs, old) => {
        if (controllerOf(rs)?.uid !== controllerOf(old)?.uid) this.recountReplicaSet(rs);
      },
    });
    this.pods.addHandler({
      add: (obj) => this.indexPod(obj),
      update: (obj) => this.indexPod(obj),
      delete: (obj) => this.unindexPod(objectKey(obj)),
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.lag.stop();
  }

  /**
   * Summary topics the broker holds retained from before this publisher started (a restarted
   * hub's broker, or an external one, keeps them): each is rebuilt at the next flush, and cleared
   * when nothing it describes exists any more.
   */
  adoptRetained(topics: Iterable<string>): void {
    for (const topic of topics) {
      const route = parseTopic(topic)?.route;
      if (route !== routes.nodeSummary && route !== routes.workloadSummary) continue;
      if (this.last.has(topic)) continue;
      this.last.set(topic, adopted);
      this.mark(topic);
    }
  }

  /** The node's published or applied revision moved (revision-lag.ts). */
  revisionChanged(node: string): void {
    this.lag.revisionChanged(node);
  }

  private recountReplicaSet(rs: KubeObject): void {
    for (const pod of this.pods.byIndex(byReplicaSet, objectKey(rs))) this.indexPod(pod);
  }

  private workloadChanged(kind: string, obj: KubeObject): void {
    const topic = this.topicOf(obj.metadata.namespace ?? 'default', kind, obj.metadata.name ?? '');
    if (topic) this.mark(topic);
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
        tally = emptyTally();
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

  /** The gateway's session began (`online`) or ended at `atMs` (hub clock when not given). */
  setOnline(node: string, online: boolean, atMs?: number): void {
    if (this.online.get(node)?.online === online) return;
    this.online.set(node, { online, since: atMs ?? this.clock.now().getTime() });
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
        else if (parsed?.route === routes.workloadSummary)
          this.send(topic, this.workloadSummary(parsed.params, tally));
      } catch (err) {
        this.log.warn(`summary ${topic} not published: ${describeError(err)}`);
      }
    }
  }

  private nodeTopic(node: string): string | undefined {
    return node ? buildTopic(routes.nodeSummary, { node }) : undefined;
  }

  /** Undefined when a name does not fit a topic level (never for valid objects). */
  private topicOf(namespace: string, kind: string, name: string): string | undefined {
    try {
      return buildTopic(routes.workloadSummary, { namespace, kind, name });
    } catch {
      return undefined;
    }
  }

  private workloadTopic(pod: KubeObject): string | undefined {
    const key = workloadOf(pod, (ns, name) => this.workloads.get('replicaset')!.get(`${ns}/${name}`));
    return this.topicOf(key.namespace, key.kind, key.name);
  }

  private nodeSummary(node: string, tally: Tally | undefined): Omit<NodeSummary, 'updated'> | undefined {
    const obj = this.nodes.get(node);
    if (!obj) return undefined;
    const ready = conditionsOf(obj.status).find((c) => c.type === 'Ready')?.status;
    const presence = this.online.get(node);
    const summary: Omit<NodeSummary, 'updated'> = {
      ready: ready === 'True' || ready === 'False' ? ready : 'Unknown',
      online: presence?.online ?? false,
      pods: tally?.pods ?? 0,
      running: tally?.running ?? 0,
    };
    const seen = presence?.since ?? this.leaseRenewed(node);
    if (seen !== undefined) summary.lastSeen = seen;
    const labels = obj.metadata.labels ?? {};
    const arch = labels['kubernetes.io/arch'];
    if (arch) summary.arch = arch;
    if (labels[siteLabel]) summary.site = labels[siteLabel];
    if (labels[wellKnown.zone]) summary.zone = labels[wellKnown.zone];
    if (this.lag.shows(node)) {
      const revision = this.revisions.publishedRevision(node);
      if (revision !== undefined) summary.revision = revision;
      const applied = this.revisions.appliedRevision(node);
      if (applied !== undefined) summary.applied = applied;
    }
    return summary;
  }

  private leaseRenewed(node: string): number | undefined {
    const renewTime = (
      this.leases.get(`${leaseNamespace}/${node}`)?.spec as { renewTime?: string } | undefined
    )?.renewTime;
    const ms = renewTime === undefined ? Number.NaN : Date.parse(renewTime);
    return Number.isNaN(ms) ? undefined : ms;
  }

  private workloadSummary(
    params: Record<string, string>,
    tally: Tally | undefined,
  ): Omit<WorkloadSummary, 'updated'> | undefined {
    const { namespace = '', kind = '', name = '' } = params;
    const counts = {
      pods: tally?.pods ?? 0,
      ready: tally?.ready ?? 0,
      nodes: listedNodes(tally, maxListedNodes),
    };
    const known = workloadKinds.get(kind);
    if (known) {
      const obj = this.workloads.get(kind)?.get(`${namespace}/${name}`);
      // A Deployment's ReplicaSets are summed up in the Deployment's summary, not their own.
      if (!obj || (kind === 'replicaset' && controllerOf(obj)?.kind === 'Deployment')) return undefined;
      return { desired: known.desired(obj), ...counts };
    }
    if (counts.pods === 0) return undefined;
    return kind === 'pod' ? { desired: 1, ...counts } : counts;
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
