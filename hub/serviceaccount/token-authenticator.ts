// Authenticates ServiceAccount tokens the hub issued (kube-apiserver's service account token
// authenticator and its bound-token validator): signature, issuer, audience and times, then the
// objects the token names must still be the ones it was issued for — the ServiceAccount, and
// the Pod or Secret it is bound to, same uid, not deleted more than a minute ago. Those lookups
// are in-memory informer reads; the signature check is cached per token for a short while.
import type { Clock } from '../../api/clock.js';
import type { Logger } from '../../api/logger.js';
import { authenticatedGroup, serviceAccountUser, type UserInfo } from '../../api/rbac/rbac-types.js';
import type { KubeObject } from '../../api/types.js';
import { verifyJws } from './jws.js';
import type { SigningKey } from './signing-key.js';
import { type ObjectRef, readClaims, type TokenClaims } from './token-claims.js';

export const serviceAccountsGroup = 'system:serviceaccounts';

/** The objects a token may name, from the hub's informers. */
export interface BoundObjects {
  serviceAccount(namespace: string, name: string): KubeObject | undefined;
  pod(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
}

export interface TokenAuthenticatorOptions {
  key: SigningKey;
  issuer: string;
  apiAudiences: readonly string[];
  objects: BoundObjects;
  clock: Clock;
  log?: Logger;
}

/** A deleted object's tokens stay valid this long (kube's invalidIfDeletedBefore). */
const deletionGraceSeconds = 60;
/** How long a verified signature is remembered, and how many tokens at most. */
const cacheSeconds = 10;
const cacheSize = 4096;

export class ServiceAccountTokenAuthenticator {
  private readonly verified = new Map<string, { claims: TokenClaims; until: number }>();

  constructor(private readonly options: TokenAuthenticatorOptions) {}

  /** The token's user, or undefined for a token this hub did not issue or that is no longer valid. */
  authenticate(token: string): UserInfo | undefined {
    // Only a JWS can be ours; anything else is for the other authenticators.
    if (!token.startsWith('eyJ') || token.split('.').length !== 3) return undefined;
    const now = this.options.clock.now().getTime() / 1000;
    const claims = this.claimsOf(token, now);
    if (!claims) return undefined;
    const problem = this.staleBinding(claims, now);
    if (problem) {
      this.options.log?.warn(`service account token refused: ${problem}`);
      return undefined;
    }
    return userOf(claims);
  }

  private claimsOf(token: string, now: number): TokenClaims | undefined {
    const cached = this.verified.get(token);
    if (cached && cached.until > now && cached.claims.exp > now) return cached.claims;
    const { key, issuer, apiAudiences } = this.options;
    const jws = verifyJws(token, key.publicKey, key.kid);
    if (!jws.ok) return undefined;
    const read = readClaims(jws.payload, issuer, apiAudiences, Math.floor(now));
    if (!read.ok) {
      this.options.log?.warn(`service account token refused: ${read.error}`);
      return undefined;
    }
    if (this.verified.size >= cacheSize) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { claims: read.claims, until: now + cacheSeconds });
    return read.claims;
  }

  /** Why the objects the token names are no longer the ones it was issued for, if they are not. */
  private staleBinding(claims: TokenClaims, now: number): string | undefined {
    const kube = claims['kubernetes.io'];
    const { objects } = this.options;
    const ns = kube.namespace;
    const checks: [string, ObjectRef | undefined, (n: string) => KubeObject | undefined][] = [
      ['serviceaccount', kube.serviceaccount, (n) => objects.serviceAccount(ns, n)],
      ['pod', kube.pod, (n) => objects.pod(ns, n)],
      ['secret', kube.secret, (n) => objects.secret(ns, n)],
    ];
    for (const [kind, ref, lookup] of checks) {
      if (!ref) continue;
      const obj = lookup(ref.name);
      if (!obj) return `${kind} ${ns}/${ref.name} not found`;
      if (obj.metadata.uid !== ref.uid)
        return `${kind} ${ns}/${ref.name} was recreated (uid ${ref.uid} is gone)`;
      const deleted = obj.metadata.deletionTimestamp;
      if (deleted && Date.parse(deleted) / 1000 < now - deletionGraceSeconds) {
        return `${kind} ${ns}/${ref.name} was deleted`;
      }
    }
    return undefined;
  }
}

/** kube's serviceaccount.UserInfo with the extra a bound token carries. */
export function userOf(claims: TokenClaims): UserInfo {
  const kube = claims['kubernetes.io'];
  const extra: Record<string, string[]> = {};
  if (kube.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [kube.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [kube.pod.uid];
  }
  if (kube.node) {
    extra['authentication.kubernetes.io/node-name'] = [kube.node.name];
    extra['authentication.kubernetes.io/node-uid'] = [kube.node.uid];
  }
  if (claims.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
  return {
    name: serviceAccountUser(kube.namespace, kube.serviceaccount.name),
    uid: kube.serviceaccount.uid,
    groups: [serviceAccountsGroup, `${serviceAccountsGroup}:${kube.namespace}`, authenticatedGroup],
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}
