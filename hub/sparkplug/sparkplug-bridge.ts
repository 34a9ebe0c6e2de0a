import type { Logger } from '../../api/logger.js';
// The fleet on Sparkplug B: one edge node per online gateway (an EdgeNodeLink of its own) and
// one device per workload with pods on it. It keeps, from the hub's informer cache, which pods
// each gateway has and marks a gateway dirty when its Node, one of its pods or its presence
// changes; a short coalescing window later each dirty gateway's link is started (gateway online
// and registered), updated (DATA for what changed) or closed (NDEATH: gateway offline or
// deleted). Last Seen is refreshed once a minute, not at every 10 s heartbeat.
import type { KubeObject } from '../../api/types.js';
import { objectKey } from '../client/informer.js';
import type { SharedInformers } from '../client/shared-informers.js';
import { nodeNameOf } from '../edge-sync/watched-kinds.js';
import { type WorkloadKey, workloadOf } from '../edge-sync/workload-of.js';
import type { NodeHeartbeats } from '../node-heartbeats.js';
import { BdSeqBook } from './bdseq-book.js';
import { EdgeNodeLink, type SparkplugBroker } from './edge-node-link.js';
import type { EdgeNodeSnapshot, MetricSpec } from './edge-node-session.js';
import { deviceId, deviceMetrics, edgeNodeId, nodeMetrics } from './fleet-metrics.js';

export interface SparkplugOptions {
  group: string;
  hostId: string | undefined;
  broker: SparkplugBroker;
  /** DIR/sparkplug-bdseq.json */
  bdSeqPath: string;
  log: Logger;
  coalesceMs?: number;
  lastSeenRefreshMs?: number;
}

export class SparkplugBridge {
  private readonly links = new Map<string, EdgeNodeLink>();
  /**
   * Links still sending their NDEATH and disconnecting. A gateway that comes back meanwhile gets
   * its new link after that: two connections under one client id would have the broker cut the
   * old one off, and send its Will.
   */
  private readonly closing = new Map<string, Promise<void>>();
  private readonly online = new Map<string, boolean>();
  private readonly podsByNode = new Map<string, Set<string>>();
  private readonly podNode = new Map<string, string>();
  /** A pod's workload, kept once its Deployment is known (its ReplicaSet may go first at deletion). */
  private readonly podWorkload = new Map<string, WorkloadKey>();
  private readonly dirty = new Set<string>();
  private readonly bdSeqs: BdSeqBook;
  private timer: NodeJS.Timeout | undefined;
  private readonly refresh: NodeJS.Timeout;
  private stopped = false;
  private readonly nodes;
  private readonly pods;
  private readonly replicaSets;

  constructor(
    informers: SharedInformers,
    private readonly heartbeats: NodeHeartbeats | undefined,
    private readonly o: SparkplugOptions,
  ) {
    this.bdSeqs = new BdSeqBook(o.bdSeqPath, o.log);
    this.nodes = informers.for({ group: '', resource: 'nodes' });
    this.pods = informers.for({ group: '', resource: 'pods' });
    this.replicaSets = informers.for({ group: 'apps', resource: 'replicasets' });
    const node = (obj: KubeObject) => this.mark(obj.metadata.name ?? '');
    this.nodes.addHandler({ add: node, update: node, delete: node });
    this.pods.addHandler({
      add: (obj) => this.indexPod(obj),
      update: (obj) => this.indexPod(obj),
      delete: (obj) => this.unindexPod(objectKey(obj)),
    });
    this.refresh = setInterval(() => {
      for (const name of this.links.keys()) this.mark(name);
    }, o.lastSeenRefreshMs ?? 60_000);
  }

  /** A gateway's presence (the retained presence topic of the Flotilla protocol). */
  setOnline(node: string, online: boolean): void {
    this.online.set(node, online);
    this.mark(node);
  }

  /** NDEATH for every edge node, then the connections close. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.refresh);
    const links = [...this.links.values()];
    this.links.clear();
    await Promise.all([...links.map((link) => link.close()), ...this.closing.values()]);
    this.bdSeqs.flush();
  }

  private indexPod(pod: KubeObject): void {
    const key = objectKey(pod);
    const node = nodeNameOf(pod);
    const before = this.podNode.get(key);
    if (before !== node) {
      this.unindexPod(key);
      if (!node) return;
      this.podNode.set(key, node);
      const set = this.podsByNode.get(node) ?? new Set<string>();
      this.podsByNode.set(node, set);
      set.add(key);
    }
    if (this.podWorkload.get(key)?.kind !== 'deployment') {
      const workload = workloadOf(pod, (ns, name) => this.replicaSets.get(`${ns}/${name}`));
      this.podWorkload.set(key, workload);
    }
    this.mark(node);
  }

  private unindexPod(key: string): void {
    const node = this.podNode.get(key);
    this.podWorkload.delete(key);
    if (node === undefined) return;
    this.podNode.delete(key);
    const set = this.podsByNode.get(node);
    set?.delete(key);
    if (set?.size === 0) this.podsByNode.delete(node);
    this.mark(node);
  }

  private mark(node: string): void {
    if (this.stopped || !node) return;
    this.dirty.add(node);
    this.timer ??= setTimeout(() => this.flush(), this.o.coalesceMs ?? 100);
  }

  private flush(): void {
    this.timer = undefined;
    const nodes = [...this.dirty];
    this.dirty.clear();
    for (const node of nodes) {
      // One gateway whose metrics cannot be built leaves the others untouched.
      try {
        this.sync(node);
      } catch (err) {
        this.o.log.warn(`edge node ${node} not updated: ${(err as Error).message}`);
      }
    }
  }

  private sync(node: string): void {
    if (this.closing.has(node)) return; // marked again once closed
    const wanted = this.online.get(node) === true && this.nodes.get(node) !== undefined;
    const link = this.links.get(node);
    if (wanted && link) {
      link.update();
    } else if (wanted) {
      const created = new EdgeNodeLink({
        group: this.o.group,
        edgeNode: edgeNodeId(node),
        hostId: this.o.hostId,
        broker: this.o.broker,
        bdSeqs: this.bdSeqs,
        snapshot: () => this.snapshot(node),
        log: this.o.log,
      });
      this.links.set(node, created);
      created.start();
    } else if (link) {
      this.links.delete(node);
      const closed = link.close().finally(() => {
        this.closing.delete(node);
        this.mark(node);
      });
      this.closing.set(node, closed);
    }
  }

  /** What the gateway and its workloads report now. */
  snapshot(node: string): EdgeNodeSnapshot {
    const pods: KubeObject[] = [];
    const byWorkload = new Map<string, { key: WorkloadKey; pods: KubeObject[] }>();
    for (const key of this.podsByNode.get(node) ?? []) {
      const pod = this.pods.get(key);
      const workload = this.podWorkload.get(key);
      if (!pod || !workload) continue;
      pods.push(pod);
      if (pod.metadata.deletionTimestamp) continue;
      const id = deviceId(workload);
      const entry = byWorkload.get(id) ?? { key: workload, pods: [] };
      byWorkload.set(id, entry);
      entry.pods.push(pod);
    }
    const devices = new Map<string, MetricSpec[]>();
    for (const id of [...byWorkload.keys()].sort()) {
      const entry = byWorkload.get(id)!;
      devices.set(id, deviceMetrics(entry.key, entry.pods));
    }
    return {
      node: nodeMetrics({
        node: this.nodes.get(node),
        pods,
        lastSeenMs: this.heartbeats?.latestMs(node),
        online: this.online.get(node) === true,
      }),
      devices,
    };
  }
}
