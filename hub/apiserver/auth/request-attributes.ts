// What the authorizer is asked for a request (kube's authorizer.Attributes from RequestInfo):
// a resource request's verb, group, resource, subresource, name and namespace; a non-resource
// request's lower-case HTTP method and path.
import type { Attributes } from '../../../api/rbac/rbac-types.js';
import type { RequestInfo } from '../request-info.js';

export function requestAttributes(info: RequestInfo, method: string): Attributes {
  if (info.type === 'nonresource') return { verb: method.toLowerCase(), path: info.path };
  return {
    verb: info.verb,
    apiGroup: info.group,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
    namespace: info.namespace,
  };
}
