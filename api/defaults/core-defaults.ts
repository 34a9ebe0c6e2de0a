// Defaults for the smaller core and discovery kinds: Namespace (SetDefaults_Namespace and
// the namespace strategy), Secret, Node (SetDefaults_NodeStatus), Endpoints and
// EndpointSlice ports.
import type { KubeObject } from '../types.js';
import { defaultString, defaultValue, existingObject, objectAt, recordsAt } from './set-default.js';

/** The label every namespace carries with its own name, for namespace selectors. */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

export function defaultNamespace(ns: KubeObject): void {
  const name = ns.metadata.name;
  if (name) ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [namespaceNameLabel]: name };
  const spec = objectAt(ns, 'spec');
  // The "kubernetes" finalizer lets the namespace controller empty the namespace before it
  // goes. Defaulting also runs on updates, and must not re-add it once termination started.
  if (spec && !ns.metadata.deletionTimestamp) defaultValue(spec, 'finalizers', ['kubernetes']);
  const status = objectAt(ns, 'status');
  if (status) defaultString(status, 'phase', 'Active');
}

export function defaultSecret(secret: KubeObject): void {
  defaultString(secret, 'type', 'Opaque');
}

/**
 * NodeSystemInfo's fields are plain strings in Go, so kube always sends all ten ("" when
 * unknown), and clients generated from its OpenAPI require them: the Python client raised
 * ValueError on reading any Node whose nodeInfo lacked kubeProxyVersion or systemUUID.
 */
const nodeInfoFields = [
  'architecture',
  'bootID',
  'containerRuntimeVersion',
  'kernelVersion',
  'kubeProxyVersion',
  'kubeletVersion',
  'machineID',
  'operatingSystem',
  'osImage',
  'systemUUID',
] as const;

export function defaultNode(node: KubeObject): void {
  const status = existingObject(node, 'status');
  // A node that reports only capacity can allocate all of it.
  if (status && existingObject(status, 'capacity') && status.allocatable == null) {
    status.allocatable = { ...(status.capacity as object) };
  }
  const nodeInfo = status && existingObject(status, 'nodeInfo');
  if (nodeInfo) for (const field of nodeInfoFields) defaultString(nodeInfo, field, '');
}

export function defaultEndpoints(endpoints: KubeObject): void {
  for (const subset of recordsAt(endpoints, 'subsets')) {
    for (const port of recordsAt(subset, 'ports')) defaultString(port, 'protocol', 'TCP');
  }
}

export function defaultEndpointSlice(slice: KubeObject): void {
  for (const port of recordsAt(slice, 'ports')) {
    defaultValue(port, 'name', '');
    defaultValue(port, 'protocol', 'TCP');
  }
}
