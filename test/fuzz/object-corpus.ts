// Valid objects of every served kind, from the test builders, placed where a fuzz lane works:
// namespaced objects in the lane's namespace, cluster-scoped ones under the lane's name prefix,
// names from a small vocabulary so creates, updates, patches and deletes meet the same objects.
import type { ResourceInfo } from '../../api/resources.js';
import { servedResources as resources } from '../../hub/kinds/builtin-kinds.js';
import * as b from '../helpers/builders.js';
import type { Prng } from './prng.js';

const builders: Record<string, () => b.TestObject> = {
  Namespace: () => b.aNamespace(),
  Node: () => b.aNode(),
  Pod: () => b.aPod(),
  Service: () => b.aService(),
  Endpoints: () => b.anEndpoints(),
  ConfigMap: () => b.aConfigMap(),
  Secret: () => b.aSecret(),
  Event: () => b.anEvent(),
  Deployment: () => b.aDeployment(),
  ReplicaSet: () => b.aReplicaSet(),
  DaemonSet: () => b.aDaemonSet(),
  ControllerRevision: () => b.aControllerRevision(),
  Job: () => withoutUid(b.aJob()),
  CronJob: () => b.aCronJob(),
  Lease: () => b.aLease(),
  EndpointSlice: () => b.anEndpointSlice(),
  CustomResourceDefinition: () => b.aCustomResourceDefinition(),
  ReplicationController: () => b.aReplicationController(),
  PersistentVolume: () => b.aPersistentVolume(),
  PersistentVolumeClaim: () => b.aPersistentVolumeClaim(),
  StatefulSet: () => b.aStatefulSet(),
  Ingress: () => b.anIngress(),
  Role: () => b.aRole(),
  ClusterRole: () => b.aClusterRole(),
  RoleBinding: () => b.aRoleBinding(),
  ClusterRoleBinding: () => b.aClusterRoleBinding(),
  ServiceAccount: () => b.aServiceAccount(),
  Site: () => b.aSite(),
};

function withoutUid(obj: b.TestObject): b.TestObject {
  delete obj.metadata.uid;
  return obj;
}

/**
 * Every stored resource has a builder (a kind added without one fails here, not silently). The
 * reviews (SelfSubjectAccessReview and the like) are answered, never stored, and the usage of
 * metrics.k8s.io (get and list only) is read from the gateways: the API tests cover them, the
 * fuzzer's store checks do not apply.
 */
export const fuzzedResources: readonly ResourceInfo[] = resources
  .filter((r) => r.verbs.includes('get') && r.verbs.includes('create'))
  .map((r) => {
    if (!builders[r.kind]) throw new Error(`object-corpus: no builder for ${r.kind}`);
    return r;
  });

/** Where a lane works: its namespace and the prefix of its cluster-scoped names. */
export interface LaneScope {
  namespace: string;
  clusterPrefix: string;
}

export function laneScope(lane: number): LaneScope {
  return { namespace: `fuzz-l${lane}`, clusterPrefix: `fz${lane}` };
}

/** Names a lane uses for one resource (few, so requests keep meeting existing objects). */
export function namesFor(info: ResourceInfo, scope: LaneScope): string[] {
  // Nodes are few: every DaemonSet runs a pod on each.
  const count = info.kind === 'Node' ? 2 : 4;
  // A CRD's name is `<plural>.<group>`.
  if (info.kind === 'CustomResourceDefinition') {
    return Array.from({ length: count }, (_, i) => `${scope.clusterPrefix}w${i}s.fuzz.example.com`);
  }
  return Array.from({ length: count }, (_, i) =>
    info.namespaced ? `${info.singular}-${i}` : `${scope.clusterPrefix}-${info.singular}-${i}`,
  );
}

/** A valid object of `info`'s kind named `name` in the lane's scope. */
export function validObject(info: ResourceInfo, scope: LaneScope, name: string): b.TestObject {
  const obj =
    info.kind === 'CustomResourceDefinition' ? b.aCustomResourceDefinition(name) : builders[info.kind]!();
  obj.metadata = { ...obj.metadata, name };
  if (info.namespaced) obj.metadata.namespace = scope.namespace;
  else delete obj.metadata.namespace;
  // An Event is about an object of its own namespace.
  if (obj.involvedObject) obj.involvedObject.namespace = scope.namespace;
  return obj;
}

export function pickResource(rng: Prng, filter: (r: ResourceInfo) => boolean = () => true): ResourceInfo {
  return rng.pick(fuzzedResources.filter(filter));
}

/** Workload sizes a fuzzer may set without asking the controllers for millions of pods. */
const sizeFields = new Set(['replicas', 'parallelism', 'completions']);
const maxSize = 3;

/**
 * Clamps valid but large workload sizes (in int32 range, so the API accepts them) in any body:
 * the fuzzer tests that huge values are refused, not that the hub can run 2^31 pods.
 */
export function tame(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (const item of value) tame(item);
    // JSON patch operations: {op, path: ".../replicas", value: n}.
    return value;
  }
  const obj = value as Record<string, unknown>;
  const path = typeof obj.path === 'string' ? obj.path : '';
  for (const [key, v] of Object.entries(obj)) {
    const sized = sizeFields.has(key) || (key === 'value' && sizeFields.has(path.split('/').pop() ?? ''));
    if (sized && typeof v === 'number' && v > maxSize && v < 2 ** 31) obj[key] = maxSize;
    else tame(v);
  }
  return value;
}
