// Every request's identity and permission, in the order kube-apiserver's filters apply them:
// authenticate (401), impersonate (403 when not allowed), authorize (403 in Kubernetes' words).
// The API handler and the stream upgrade (exec, attach, port-forward) both go through here.
import type { IncomingMessage } from 'node:http';
import { unauthorized } from '../../../api/errors.js';
import { authorize } from '../../../api/rbac/authorize.js';
import { requestForbidden } from '../../../api/rbac/forbidden-message.js';
import type { RbacView, UserInfo } from '../../../api/rbac/rbac-types.js';
import type { RequestInfo } from '../request-info.js';
import { authenticate, type TokenAuthenticator } from './authenticate.js';
import { impersonatedUser } from './impersonation.js';
import { requestAttributes } from './request-attributes.js';

export interface RequestAuth {
  /** The user of a bearer token; undefined for a token the hub did not issue. */
  tokenUser: TokenAuthenticator;
  /** The RBAC objects (rbac-cache.ts). */
  rbac: RbacView;
}

/** The user the request acts as; throws 401 for no or bad credentials, 403 for a refused impersonation. */
export function authenticateRequest(auth: RequestAuth, req: IncomingMessage): UserInfo {
  const user = authenticate(req, auth.tokenUser);
  if (!user) throw unauthorized();
  return impersonatedUser(req, user, (who, attributes) => authorize(who, attributes, auth.rbac));
}

/** Throws 403 unless RBAC allows `user` the request. */
export function authorizeRequest(auth: RequestAuth, user: UserInfo, info: RequestInfo, method: string): void {
  const attributes = requestAttributes(info, method);
  const decision = authorize(user, attributes, auth.rbac);
  if (!decision.allowed) throw requestForbidden(user.name, attributes, decision.reason);
}
