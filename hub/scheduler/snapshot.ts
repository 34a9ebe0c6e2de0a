// The scheduler's view of the cluster: every node with the pods bound to it, and indexes over
// those pods. The Scheduler keeps it current from informer events (and from its own
// assumptions, so a pod counts against its node from the moment it is chosen); the pure
// scheduling core only reads it. Pods that finished (Succeeded, Failed) free their node, as
// kube-scheduler's pod informer never sees them.
import { isDeepStrictEqual } from 'node:util';
import { NodeInfo } from './node-info.js';
import { PodMatchIndex, type PodPredicate, TermOwners } from './pod-index.js';
import { assumedOn, type PodInfo, podInfo } from './pod-info.js';
import { type NodeObject, type PodObject, wellKnown } from './types.js';

export class ClusterSnapshot {
  private readonly infos = new Map<string, NodeInfo>();
  private readonly podNodes = new Map<string, string>();
  private readonly namespaceLabelsByName = new Map<string, Record<string, string>>();
  private ordered: NodeInfo[] | undefined;
  /** Results derived from node names and labels only, dropped whenever those change. */
  private readonly nodeMemo = new Map<string, unknown>();
  private readonly domainMemo = new Map<string, { version: number; byDomain: Map<string, number> }>();
  /** Image name → number of nodes that hold it (ImageLocality's spread factor). */
  readonly imageNodes = new Map<string, number>();
  readonly matches: PodMatchIndex = new PodMatchIndex(() => this.boundPods());
  readonly owners = new TermOwners();

  /** Nodes with a Node object, zones interleaved (as kube's nodeTree) so a partial scan spans zones. */
  nodes(): readonly NodeInfo[] {
    this.ordered ??= interleaveZones([...this.infos.values()].filter((n) => n.node !== undefined));
    return this.ordered;
  }

  /**
   * Memoises `compute` under `key` until a node is added, removed or relabelled: for per-pod
   * work that depends only on which nodes exist and their labels (topology domains).
   */
  memoizeForNodes<T>(key: string, compute: () => T): T {
    if (this.nodeMemo.has(key)) return this.nodeMemo.get(key) as T;
    const value = compute();
    if (this.nodeMemo.size >= 256) this.nodeMemo.clear();
    this.nodeMemo.set(key, value);
    return value;
  }

  /**
   * Bound pods a predicate selects, per value of `topologyKey` (nodes without the key are left
   * out); recomputed only when those pods or the nodes' labels change.
   */
  countsByDomain(predicate: PodPredicate, topologyKey: string): ReadonlyMap<string, number> {
    const version = this.matches.version(predicate);
    const key = `${topologyKey}|${predicate.id}`;
    let memo = this.domainMemo.get(key);
    if (!memo) {
      if (this.domainMemo.size >= 1024) this.domainMemo.clear();
      memo = { version: -1, byDomain: new Map() };
      this.domainMemo.set(key, memo);
    }
    if (memo.version !== version) {
      const byDomain = new Map<string, number>();
      for (const [nodeName, pods] of this.matches.counts(predicate)) {
        const value = this.get(nodeName)?.labels[topologyKey];
        if (value !== undefined) byDomain.set(value, (byDomain.get(value) ?? 0) + pods);
      }
      memo.byDomain = byDomain;
      memo.version = version;
    }
    return memo.byDomain;
  }

  get(name: string): NodeInfo | undefined {
    const info = this.infos.get(name);
    return info?.node ? info : undefined;
  }

  readonly namespaceLabels = (namespace: string): Record<string, string> | undefined =>
    this.namespaceLabelsByName.get(namespace);

  setNamespace(name: string, labels: Record<string, string> | undefined): void {
    if (isDeepStrictEqual(labels, this.namespaceLabelsByName.get(name))) return;
    if (labels === undefined) this.namespaceLabelsByName.delete(name);
    else this.namespaceLabelsByName.set(name, labels);
    this.matches.clear();
  }

  setNode(node: NodeObject): void {
    const name = node.metadata.name!;
    const info = this.infos.get(name) ?? new NodeInfo(name);
    const before = info.node;
    this.countImages(info, -1);
    info.setNode(node);
    this.countImages(info, 1);
    this.infos.set(name, info);
    const labels = (n: NodeObject | undefined) => n?.metadata.labels ?? {};
    if (!before || !isDeepStrictEqual(labels(before), labels(node))) {
      this.nodeMemo.clear();
      this.domainMemo.clear();
      if (!before || labels(before)[wellKnown.zone] !== labels(node)[wellKnown.zone])
        this.ordered = undefined;
    }
  }

  removeNode(name: string): void {
    const info = this.infos.get(name);
    if (!info?.node) return;
    this.countImages(info, -1);
    info.setNode(undefined);
    if (info.pods.size === 0) this.infos.delete(name);
    this.ordered = undefined;
    this.nodeMemo.clear();
    this.domainMemo.clear();
  }

  /** Adds, moves or drops a pod according to its latest object. */
  upsertPod(pod: PodObject): void {
    const info = podInfo(pod);
    const phase = pod.status?.phase;
    if (!info.nodeName || phase === 'Succeeded' || phase === 'Failed') this.removePod(info.key);
    else this.place(info);
  }

  /** Counts an unbound pod against `nodeName` before the binding is written. */
  assume(info: PodInfo, nodeName: string): void {
    this.place(assumedOn(info, nodeName));
  }

  removePod(key: string): PodInfo | undefined {
    const nodeName = this.podNodes.get(key);
    if (nodeName === undefined) return undefined;
    this.podNodes.delete(key);
    const info = this.infos.get(nodeName)!;
    const pod = info.removePod(key);
    if (pod) {
      this.matches.podRemoved(pod);
      this.owners.podRemoved(pod);
    }
    if (!info.node && info.pods.size === 0) this.infos.delete(nodeName);
    return pod;
  }

  /** The node a pod is bound or assumed to, if any. */
  nodeOf(key: string): string | undefined {
    return this.podNodes.get(key);
  }

  *boundPods(): Generator<PodInfo> {
    for (const info of this.infos.values()) yield* info.pods.values();
  }

  private place(pod: PodInfo): void {
    this.removePod(pod.key);
    const nodeName = pod.nodeName!;
    let info = this.infos.get(nodeName);
    if (!info) {
      info = new NodeInfo(nodeName);
      this.infos.set(nodeName, info);
    }
    info.addPod(pod);
    this.podNodes.set(pod.key, nodeName);
    this.matches.podAdded(pod);
    this.owners.podAdded(pod);
  }

  private countImages(info: NodeInfo, sign: 1 | -1): void {
    if (!info.node) return;
    for (const image of info.images.keys()) {
      const count = (this.imageNodes.get(image) ?? 0) + sign;
      if (count > 0) this.imageNodes.set(image, count);
      else this.imageNodes.delete(image);
    }
  }
}

function interleaveZones(nodes: NodeInfo[]): NodeInfo[] {
  const zones = new Map<string, NodeInfo[]>();
  for (const node of nodes) {
    const zone = node.labels[wellKnown.zone] ?? '';
    const members = zones.get(zone);
    if (members) members.push(node);
    else zones.set(zone, [node]);
  }
  if (zones.size <= 1) return nodes;
  const out: NodeInfo[] = [];
  const lists = [...zones.values()];
  for (let i = 0; out.length < nodes.length; i++) {
    for (const list of lists) if (i < list.length) out.push(list[i]!);
  }
  return out;
}
