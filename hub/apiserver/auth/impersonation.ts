// Impersonation (Impersonate-User, Impersonate-Group): a user allowed to `impersonate` the named
// user and each group acts as them (`kubectl --as alice --as-group team`), as kube-apiserver's
// impersonation filter does. The impersonated user is authenticated too.
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../../api/errors.js';
import type { Decision } from '../../../api/rbac/authorize.js';
import { requestForbidden } from '../../../api/rbac/forbidden-message.js';
import { authenticatedGroup, type ResourceAttributes, type UserInfo } from '../../../api/rbac/rbac-types.js';

const unauthenticatedGroup = 'system:unauthenticated';
const anonymousUser = 'system:anonymous';

/** The user a request acts as: `user` itself unless it asks to impersonate someone. */
export function impersonatedUser(
  req: IncomingMessage,
  user: UserInfo,
  authorize: (user: UserInfo, attributes: ResourceAttributes) => Decision,
): UserInfo {
  const headers = req.headers;
  const extras = Object.keys(headers).filter(
    (h) => h.startsWith('impersonate-extra-') || h === 'impersonate-uid',
  );
  // The usual request impersonates no one: no need to build headersDistinct.
  if (
    headers['impersonate-user'] === undefined &&
    headers['impersonate-group'] === undefined &&
    extras.length === 0
  ) {
    return user;
  }
  const name = req.headersDistinct['impersonate-user']?.[0];
  const groups = req.headersDistinct['impersonate-group'] ?? [];
  if (name === undefined) {
    if (groups.length > 0 || extras.length > 0) {
      throw new ApiError(
        'BadRequest',
        'requested impersonation of groups or extra fields without impersonating a user',
      );
    }
    return user;
  }
  if (extras.length > 0) {
    throw new ApiError(
      'BadRequest',
      `impersonating ${extras.join(', ')} is not supported; impersonate a user and groups`,
    );
  }
  const check = (resource: string, value: string) => {
    const attributes: ResourceAttributes = { verb: 'impersonate', apiGroup: '', resource, name: value };
    const decision = authorize(user, attributes);
    if (!decision.allowed) throw requestForbidden(user.name, attributes, decision.reason);
  };
  check('users', name);
  for (const group of groups) check('groups', group);
  const acting = [...groups];
  if (
    name !== anonymousUser &&
    !acting.includes(authenticatedGroup) &&
    !acting.includes(unauthenticatedGroup)
  ) {
    acting.push(authenticatedGroup);
  }
  return { name, groups: acting };
}
