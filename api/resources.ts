// How a served resource is named and scoped: what discovery, routing and kubectl need (plural,
// singular, short names, verbs, subresources). The hub's kinds are defined in hub/kinds/.

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

export function groupVersion(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** The store key prefix for a resource, as in etcd's `/registry/<group>/<resource>`. */
export function storageName(info: Pick<ResourceInfo, 'group' | 'resource'>): string {
  return info.group ? `${info.group}/${info.resource}` : info.resource;
}
