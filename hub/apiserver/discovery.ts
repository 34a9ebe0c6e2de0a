// API discovery, both forms kubectl understands: the legacy documents (/api, /apis,
// /api/v1, /apis/<group>/<version>) and aggregated discovery (apidiscovery.k8s.io/v2),
// which kubectl 1.26+ asks for first and which needs its exact Content-Type. Each takes the
// resources served now (built-in and custom), in the order the hub lists them.

type Served = readonly ResourceInfo[];

import { groupVersion, type ResourceInfo } from '../../api/resources.js';

export const aggregatedContentType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const aggregatedBetaContentType = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

interface SubresourceShape {
  kind: { group: string; version: string; kind: string } | 'self';
  verbs: string[];
}

const subresourceShapes: Record<string, SubresourceShape> = {
  status: { kind: 'self', verbs: ['get', 'patch', 'update'] },
  scale: { kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
  binding: { kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
  eviction: { kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
  log: { kind: 'self', verbs: ['get'] },
  exec: { kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] },
  finalize: { kind: 'self', verbs: ['update'] },
  token: { kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] },
  ephemeralcontainers: { kind: 'self', verbs: ['get', 'patch', 'update'] },
};

function subresourceKind(info: ResourceInfo, sub: string) {
  const shape = subresourceShapes[sub];
  if (!shape || shape.kind === 'self') return { group: info.group, version: info.version, kind: info.kind };
  return shape.kind;
}

function groupsInOrder(resources: Served): string[] {
  const seen: string[] = [];
  for (const r of resources) if (r.group && !seen.includes(r.group)) seen.push(r.group);
  return seen;
}

function resourcesOf(resources: Served, group: string, version: string): ResourceInfo[] {
  return resources.filter((r) => r.group === group && r.version === version);
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(resources: Served, group: string): object {
  const versions = [...new Set(resources.filter((r) => r.group === group).map((r) => r.version))].map(
    (version) => ({ groupVersion: `${group}/${version}`, version }),
  );
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(resources: Served): object {
  const groups = groupsInOrder(resources).map((group) => apiGroup(resources, group));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroupDocument(resources: Served, group: string): object | undefined {
  if (!groupsInOrder(resources).includes(group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(resources, group) };
}

export function apiResourceList(resources: Served, group: string, version: string): object | undefined {
  const infos = resourcesOf(resources, group, version);
  if (infos.length === 0) return undefined;
  const list: object[] = [];
  for (const info of infos) {
    list.push({
      name: info.resource,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: info.verbs,
      ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
      ...(info.categories.length ? { categories: info.categories } : {}),
    });
    for (const sub of info.subresources) {
      const k = subresourceKind(info, sub);
      list.push({
        name: `${info.resource}/${sub}`,
        singularName: '',
        namespaced: info.namespaced,
        ...(k.group !== info.group ? { group: k.group, version: k.version } : {}),
        kind: k.kind,
        verbs: subresourceShapes[sub]?.verbs ?? ['get'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources: list,
  };
}

function discoveryResource(info: ResourceInfo): object {
  return {
    resource: info.resource,
    responseKind: { group: info.group, version: info.version, kind: info.kind },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: info.verbs,
    ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
    ...(info.categories.length ? { categories: info.categories } : {}),
    ...(info.subresources.length
      ? {
          subresources: info.subresources.map((sub) => ({
            subresource: sub,
            responseKind: subresourceKind(info, sub),
            verbs: subresourceShapes[sub]?.verbs ?? ['get'],
          })),
        }
      : {}),
  };
}

function discoveryGroup(resources: Served, group: string): object {
  const versions = [...new Set(resources.filter((r) => r.group === group).map((r) => r.version))];
  return {
    metadata: { name: group, creationTimestamp: null },
    versions: versions.map((version) => ({
      version,
      resources: resourcesOf(resources, group, version).map(discoveryResource),
      freshness: 'Current',
    })),
  };
}

/** `/api` (core only) or `/apis` (every named group) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(resources: Served, core: boolean, contentType: string): object {
  const apiVersion =
    contentType === aggregatedBetaContentType ? 'apidiscovery.k8s.io/v2beta1' : 'apidiscovery.k8s.io/v2';
  const groups = core ? [''] : groupsInOrder(resources);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion,
    metadata: {},
    items: groups.map((group) => discoveryGroup(resources, group)),
  };
}

/** The aggregated content type the client accepts, if any (v2 preferred over v2beta1). */
export function negotiateAggregated(accept: string | undefined): string | undefined {
  if (!accept) return undefined;
  const parts = accept.split(',').map((p) => p.replace(/\s+/g, ''));
  if (parts.some((p) => p.startsWith(aggregatedContentType))) return aggregatedContentType;
  if (parts.some((p) => p.startsWith(aggregatedBetaContentType))) return aggregatedBetaContentType;
  return undefined;
}
