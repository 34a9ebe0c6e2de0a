// The resource kinds the hub serves, with their scope and the metadata that discovery,
// routing and kubectl need (plural, singular, short names, verbs, subresources).

export interface ResourceInfo {
  group: string; // '' is the core group
  version: string;
  resource: string; // plural, lower case
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: string[];
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function kind(
  group: string,
  version: string,
  resource: string,
  kindName: string,
  namespaced: boolean,
  extra: Partial<Pick<ResourceInfo, 'shortNames' | 'categories' | 'verbs' | 'subresources'>> = {},
): ResourceInfo {
  return {
    group,
    version,
    resource,
    singular: kindName.toLowerCase(),
    kind: kindName,
    namespaced,
    shortNames: extra.shortNames ?? [],
    categories: extra.categories ?? [],
    verbs: extra.verbs ?? allVerbs,
    subresources: extra.subresources ?? [],
  };
}

export const resources: readonly ResourceInfo[] = [
  kind('', 'v1', 'namespaces', 'Namespace', false, {
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status', 'finalize'],
  }),
  kind('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: ['status'] }),
  kind('', 'v1', 'pods', 'Pod', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'binding', 'eviction', 'log', 'exec'],
  }),
  kind('', 'v1', 'services', 'Service', true, {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status'],
  }),
  kind('', 'v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'] }),
  kind('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  kind('', 'v1', 'secrets', 'Secret', true),
  kind('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  kind('apps', 'v1', 'deployments', 'Deployment', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  kind('apps', 'v1', 'replicasets', 'ReplicaSet', true, {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  kind('apps', 'v1', 'daemonsets', 'DaemonSet', true, {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
  }),
  kind('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true),
  kind('batch', 'v1', 'jobs', 'Job', true, { categories: ['all'], subresources: ['status'] }),
  kind('batch', 'v1', 'cronjobs', 'CronJob', true, {
    shortNames: ['cj'],
    categories: ['all'],
    subresources: ['status'],
  }),
  kind('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  kind('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
];

export function groupVersion(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return resources.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function findKind(apiVersion: string, kindName: string): ResourceInfo | undefined {
  return resources.find((r) => groupVersion(r) === apiVersion && r.kind === kindName);
}

/** The store key prefix for a resource, as in etcd's `/registry/<group>/<resource>`. */
export function storageName(info: Pick<ResourceInfo, 'group' | 'resource'>): string {
  return info.group ? `${info.group}/${info.resource}` : info.resource;
}
