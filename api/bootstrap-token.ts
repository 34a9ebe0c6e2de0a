// Bootstrap tokens, in Kubernetes' own format (k8s.io/cluster-bootstrap/token/api): a token
// `<id>.<secret>` matching [a-z0-9]{6}\.[a-z0-9]{16}, stored as a Secret `bootstrap-token-<id>` of
// type `bootstrap.kubernetes.io/token` in kube-system, with its expiry in RFC 3339. A gateway
// presents one only to join for the first time (api/mqtt/credentials.ts). Pure: the hub, the CLI
// and tests build and read the Secrets with these functions.
import { randomInt } from 'node:crypto';
import type { KubeObject } from './types.js';

export const bootstrapTokenNamespace = 'kube-system';
export const bootstrapTokenSecretPrefix = 'bootstrap-token-';
export const bootstrapTokenSecretType = 'bootstrap.kubernetes.io/token';
/** kubeadm's default group: kept so `kubeadm token list`-style tools read our Secrets alike. */
export const defaultBootstrapGroups = 'system:bootstrappers:kubeadm:default-node-token';

export const bootstrapTokenPattern = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
export const bootstrapTokenIdPattern = /^[a-z0-9]{6}$/;

export interface BootstrapToken {
  id: string;
  secret: string;
  /** Undefined: never expires (kubeadm's --ttl 0). */
  expiration?: Date | undefined;
  description?: string | undefined;
  usages: string[];
}

export function parseBootstrapToken(token: string): { id: string; secret: string } | undefined {
  const match = bootstrapTokenPattern.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomString(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** A fresh random token, as `kubeadm token generate` makes them. */
export function generateBootstrapToken(): string {
  return `${randomString(6)}.${randomString(16)}`;
}

export function bootstrapTokenSecretName(id: string): string {
  return `${bootstrapTokenSecretPrefix}${id}`;
}

/** The Secret kubeadm would write for this token (stringData; the API server encodes it). */
export function bootstrapTokenSecret(token: BootstrapToken): KubeObject {
  const stringData: Record<string, string> = {
    'token-id': token.id,
    'token-secret': token.secret,
    'auth-extra-groups': defaultBootstrapGroups,
  };
  if (token.expiration) stringData.expiration = token.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (token.description) stringData.description = token.description;
  for (const usage of token.usages) stringData[`usage-bootstrap-${usage}`] = 'true';
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: bootstrapTokenSecretName(token.id), namespace: bootstrapTokenNamespace },
    type: bootstrapTokenSecretType,
    stringData,
  };
}

function decoded(secret: KubeObject, key: string): string | undefined {
  const value = (secret.data as Record<string, string> | undefined)?.[key];
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

/**
 * A bootstrap token from its stored Secret; why not, when the Secret is not a well-formed one
 * (the checks of Kubernetes' bootstrap token authenticator, expiry aside).
 */
export function readBootstrapTokenSecret(secret: KubeObject): BootstrapToken | string {
  if (secret.type !== bootstrapTokenSecretType) return `type is not ${bootstrapTokenSecretType}`;
  const id = decoded(secret, 'token-id');
  const tokenSecret = decoded(secret, 'token-secret');
  if (!id || !bootstrapTokenIdPattern.test(id)) return 'token-id is missing or malformed';
  if (secret.metadata.name !== bootstrapTokenSecretName(id))
    return `name is not ${bootstrapTokenSecretName(id)}`;
  if (!tokenSecret || !/^[a-z0-9]{16}$/.test(tokenSecret)) return 'token-secret is missing or malformed';
  const expirationText = decoded(secret, 'expiration');
  let expiration: Date | undefined;
  if (expirationText !== undefined) {
    expiration = new Date(expirationText);
    // An expiry that cannot be read counts as expired, as Kubernetes' authenticator does.
    if (Number.isNaN(expiration.getTime())) expiration = new Date(0);
  }
  const usages = Object.keys((secret.data as Record<string, string> | undefined) ?? {})
    .filter((key) => key.startsWith('usage-bootstrap-') && decoded(secret, key) === 'true')
    .map((key) => key.slice('usage-bootstrap-'.length))
    .sort();
  return { id, secret: tokenSecret, expiration, description: decoded(secret, 'description'), usages };
}

export function isExpired(token: BootstrapToken, now: Date): boolean {
  return token.expiration !== undefined && token.expiration.getTime() <= now.getTime();
}
