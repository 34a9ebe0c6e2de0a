// kube-apiserver's 403 words (endpoints/handlers/responsewriters.forbiddenMessage), so clients
// and people see what they would see from any cluster:
//   pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "team-a"
import { ApiError } from '../errors.js';
import { type Attributes, isResourceRequest } from './rbac-types.js';

export function forbiddenMessage(user: string, attributes: Attributes): string {
  if (!isResourceRequest(attributes)) {
    return `User ${quote(user)} cannot ${attributes.verb.toLowerCase()} path ${quote(attributes.path)}`;
  }
  const resource = attributes.subresource
    ? `${attributes.resource}/${attributes.subresource}`
    : attributes.resource;
  const what = `User ${quote(user)} cannot ${attributes.verb} resource ${quote(resource)} in API group ${quote(attributes.apiGroup)}`;
  return attributes.namespace
    ? `${what} in the namespace ${quote(attributes.namespace)}`
    : `${what} at the cluster scope`;
}

/** apierrors.NewForbidden: `<resource>[.<group>] ["<name>"] is forbidden: <why>`. */
export function forbiddenError(
  gr: { group: string; resource: string },
  name: string | undefined,
  why: string,
): ApiError {
  const qualified = gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
  const subject =
    qualified === '' ? 'forbidden' : `${qualified}${name ? ` ${quote(name)}` : ''} is forbidden`;
  return new ApiError('Forbidden', `${subject}: ${why}`, {
    ...(name ? { name } : {}),
    group: gr.group,
    kind: gr.resource,
  });
}

/** The 403 for a request the authorizer refused, with its reason when it has one. */
export function requestForbidden(user: string, attributes: Attributes, reason: string): ApiError {
  const message = forbiddenMessage(user, attributes);
  const why = reason ? `${message}: ${reason}` : message;
  if (!isResourceRequest(attributes)) return forbiddenError({ group: '', resource: '' }, undefined, why);
  return forbiddenError({ group: attributes.apiGroup, resource: attributes.resource }, attributes.name, why);
}

/** Go's %q for the strings these messages hold. */
export function quote(value: string): string {
  return JSON.stringify(value);
}
