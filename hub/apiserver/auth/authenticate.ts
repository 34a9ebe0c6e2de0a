// Who sent a request, from its credentials (kube-apiserver's union of authenticators, in its
// order): an X.509 client certificate the hub's CA signed, presented in the TLS handshake (user =
// CN, groups = O), else a bearer token the hub knows (the admin token, a ServiceAccount token it
// signed: hub/serviceaccount/token-authenticator.ts). No credentials, or a
// token nobody issued, authenticate nobody: the caller answers 401.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { authenticatedGroup, mastersGroup, type UserInfo } from '../../../api/rbac/rbac-types.js';
import { tokenMatches } from '../../pki/hub-credentials.js';

export type TokenAuthenticator = (token: string) => UserInfo | undefined;

/** id-kp-clientAuth: a certificate without it (a serving certificate) is no user's. */
const clientAuthUsage = '1.3.6.1.5.5.7.3.2';

/** The certificate's user, once per TLS connection (keep-alive requests reuse it). */
const certificateUsers = new WeakMap<object, UserInfo | null>();

export function authenticate(req: IncomingMessage, tokenUser: TokenAuthenticator): UserInfo | undefined {
  const fromCertificate = certificateUser(req.socket as TLSSocket);
  if (fromCertificate) return fromCertificate;
  const token = bearerToken(req);
  return token === undefined ? undefined : tokenUser(token);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

function certificateUser(socket: TLSSocket): UserInfo | undefined {
  // Plain HTTP (tests' handlers) or a certificate the CA did not sign, or has expired.
  if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return undefined;
  let user = certificateUsers.get(socket);
  if (user === undefined) {
    user = userOfCertificate(socket.getPeerCertificate()) ?? null;
    certificateUsers.set(socket, user);
  }
  return user ?? undefined;
}

/** x509.CommonNameUserConversion: CN is the user, each O a group. */
export function userOfCertificate(cert: {
  subject?: Record<string, string | string[] | undefined>;
  ext_key_usage?: string[];
}): UserInfo | undefined {
  if (!cert.subject || !(cert.ext_key_usage ?? []).includes(clientAuthUsage)) return undefined;
  const cn = cert.subject.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name) return undefined;
  const o = cert.subject.O;
  const organizations = o === undefined ? [] : Array.isArray(o) ? o : [o];
  return { name, groups: [...organizations.filter((g) => g !== authenticatedGroup), authenticatedGroup] };
}

/** The first user any of the authenticators finds for a token (kube's union token authenticator). */
export function unionTokenAuthenticators(...authenticators: TokenAuthenticator[]): TokenAuthenticator {
  return (token) => {
    for (const authenticate of authenticators) {
      const user = authenticate(token);
      if (user) return user;
    }
    return undefined;
  };
}

/** The admin token's user: in system:masters, so allowed everything without any binding. */
export function adminTokenUser(adminToken: string): TokenAuthenticator {
  const admin: UserInfo = { name: 'admin', groups: [mastersGroup, authenticatedGroup] };
  return (token) => (tokenMatches(token, adminToken) ? admin : undefined);
}
