// The claims of a ServiceAccount token, as kube-apiserver writes them (pkg/serviceaccount's
// privateClaims): the standard ones (iss, sub, aud, exp, iat, nbf, jti) and the `kubernetes.io`
// claim naming the namespace, the ServiceAccount and the object the token is bound to (a Pod,
// with its Node, or a Secret), each by name and uid. readClaims checks a verified payload's shape
// and times; whether the objects it names still exist is the authenticator's business.
import { randomUUID } from 'node:crypto';
import { serviceAccountUser } from '../../api/rbac/rbac-types.js';

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  /** When a token whose exp was extended (a pod's 3607 s token) should have been refreshed. */
  warnafter?: number;
}

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

export interface ClaimsRequest {
  issuer: string;
  audiences: string[];
  namespace: string;
  serviceAccount: ObjectRef;
  pod?: ObjectRef | undefined;
  secret?: ObjectRef | undefined;
  node?: ObjectRef | undefined;
  /** Seconds since the epoch. */
  now: number;
  expirationSeconds: number;
  warnAfterSeconds?: number | undefined;
}

export function buildClaims(request: ClaimsRequest): TokenClaims {
  const { now } = request;
  const kube: KubernetesClaim = {
    namespace: request.namespace,
    serviceaccount: { ...request.serviceAccount },
  };
  if (request.pod) kube.pod = { ...request.pod };
  if (request.secret) kube.secret = { ...request.secret };
  if (request.node) kube.node = { ...request.node };
  if (request.warnAfterSeconds !== undefined) kube.warnafter = now + request.warnAfterSeconds;
  return {
    iss: request.issuer,
    sub: serviceAccountUser(request.namespace, request.serviceAccount.name),
    aud: [...request.audiences],
    exp: now + request.expirationSeconds,
    iat: now,
    nbf: now,
    jti: randomUUID(),
    'kubernetes.io': kube,
  };
}

/** Clock skew allowed on nbf and iat (kube-apiserver's NotBefore leeway). */
const leewaySeconds = 60;

export type ClaimsResult = { ok: true; claims: TokenClaims } | { ok: false; error: string };

/** The payload's claims if it is a valid token of `issuer` for one of `audiences` at `now` (seconds). */
export function readClaims(
  payload: Record<string, unknown>,
  issuer: string,
  audiences: readonly string[],
  now: number,
): ClaimsResult {
  const fail = (error: string): ClaimsResult => ({ ok: false, error });
  if (payload.iss !== issuer) return fail('token has an unknown issuer');
  const aud = typeof payload.aud === 'string' ? [payload.aud] : payload.aud;
  if (!Array.isArray(aud) || !aud.every((a) => typeof a === 'string')) return fail('token has no audience');
  if (!aud.some((a) => audiences.includes(a))) return fail('token audiences is invalid');
  const { exp, iat, nbf, sub, jti } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number' || typeof nbf !== 'number') {
    return fail('token has no exp, iat or nbf');
  }
  if (now >= exp) return fail('token has expired');
  if (now + leewaySeconds < nbf || now + leewaySeconds < iat) return fail('token used before issued');
  const kube = payload['kubernetes.io'] as Partial<KubernetesClaim> | undefined;
  if (typeof kube !== 'object' || kube === null || typeof kube.namespace !== 'string') {
    return fail('token has no kubernetes.io claim');
  }
  if (!isRef(kube.serviceaccount)) return fail('token names no service account');
  for (const key of ['pod', 'secret', 'node'] as const) {
    if (kube[key] !== undefined && !isRef(kube[key])) return fail(`token's ${key} claim is malformed`);
  }
  if (sub !== serviceAccountUser(kube.namespace, kube.serviceaccount.name)) {
    return fail('token subject does not match its service account');
  }
  const claims: TokenClaims = {
    iss: issuer,
    sub,
    aud: aud as string[],
    exp,
    iat,
    nbf,
    jti: typeof jti === 'string' ? jti : '',
    'kubernetes.io': kube as KubernetesClaim,
  };
  return { ok: true, claims };
}

function isRef(value: unknown): value is ObjectRef {
  const ref = value as Partial<ObjectRef> | undefined;
  return (
    typeof ref === 'object' && ref !== null && typeof ref.name === 'string' && typeof ref.uid === 'string'
  );
}
