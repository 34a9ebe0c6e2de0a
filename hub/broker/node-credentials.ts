// Which node key each node name is bound to, persisted in the store so the binding holds whether
// or not the gateway is online and across hub restarts: one Secret per node in kube-system,
// `<node>.node-key.flotilla` of type `flotilla.io/node-key`, holding the SHA-256 of the key (never
// the key), as k3s keeps its node passwords. A name with no binding may be bound once, by a
// client presenting a valid bootstrap token; a bound name accepts only its key, token or not.
// Deleting the Node deletes the binding (node-key-revoker.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import { isApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';
import type { BootstrapTokens } from './bootstrap-tokens.js';

export const nodeKeyNamespace = 'kube-system';
export const nodeKeySecretType = 'flotilla.io/node-key';
const nameSuffix = '.node-key.flotilla';

export function nodeKeySecretName(node: string): string {
  return `${node}${nameSuffix}`;
}

/** The node a binding Secret belongs to, or undefined for any other Secret. */
export function nodeOfKeySecret(secret: KubeObject): string | undefined {
  const name = secret.metadata.name ?? '';
  return secret.type === nodeKeySecretType && name.endsWith(nameSuffix)
    ? name.slice(0, -nameSuffix.length)
    : undefined;
}

export function hashNodeKey(nodeKey: string): string {
  return createHash('sha256').update(nodeKey).digest('hex');
}

/** The binding Secret; `boundBy` is the bootstrap token id that joined it, or `hub`. */
function keySecret(node: string, nodeKey: string, boundBy: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: nodeKeySecretName(node), namespace: nodeKeyNamespace },
    type: nodeKeySecretType,
    stringData: { 'node-name': node, 'key-sha256': hashNodeKey(nodeKey), 'bound-by': boundBy },
  };
}

export type KeyCheck = { ok: true; joinedWith?: string } | { ok: false; returnCode: 4 | 5; reason: string };

function storedHash(secret: KubeObject): Buffer | undefined {
  const value = (secret.data as Record<string, string> | undefined)?.['key-sha256'];
  if (typeof value !== 'string') return undefined;
  const hex = Buffer.from(value, 'base64').toString('utf8');
  return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

export class NodeCredentials {
  constructor(
    private readonly secrets: ResourceStore,
    private readonly tokens: BootstrapTokens,
  ) {}

  /** Checks `nodeKey` against the name's binding; binds it when there is none and the token is valid. */
  async verify(node: string, nodeKey: string, joinToken: string | undefined): Promise<KeyCheck> {
    const bound = await this.binding(node);
    if (bound) return this.matches(node, bound, nodeKey);
    if (!joinToken) {
      return {
        ok: false,
        returnCode: 4,
        reason: `node ${node} has no bound node key and no bootstrap token was presented`,
      };
    }
    const token = await this.tokens.authenticate(joinToken);
    if (!token.ok) return { ok: false, returnCode: 4, reason: token.reason };
    const name = nodeKeySecretName(node);
    if (name.length > 253) {
      return { ok: false, returnCode: 4, reason: `node name ${node} is too long to bind a key to` };
    }
    try {
      await this.secrets.create(nodeKeyNamespace, keySecret(node, nodeKey, token.id));
    } catch (err) {
      // Two first joins of one name at once: the store's create decides, the loser is checked.
      if (!isApiError(err) || err.reason !== 'AlreadyExists') throw err;
      const winner = await this.binding(node);
      if (!winner) throw err;
      return this.matches(node, winner, nodeKey);
    }
    return { ok: true, joinedWith: token.id };
  }

  /**
   * Binds a name without a bootstrap token: only for the gateway the hub itself runs (its local
   * agent), whose key the hub reads from its own data dir. False when the name is bound to
   * another key.
   */
  async bindOwn(node: string, nodeKey: string): Promise<boolean> {
    const bound = await this.binding(node);
    if (bound) return this.matches(node, bound, nodeKey).ok;
    try {
      await this.secrets.create(nodeKeyNamespace, keySecret(node, nodeKey, 'hub'));
      return true;
    } catch (err) {
      if (!isApiError(err) || err.reason !== 'AlreadyExists') throw err;
      return this.bindOwn(node, nodeKey);
    }
  }

  /** Forgets the name's binding; true when there was one. */
  async revoke(node: string): Promise<boolean> {
    try {
      await this.secrets.delete(nodeKeyNamespace, nodeKeySecretName(node), { dryRun: false });
      return true;
    } catch (err) {
      if (isApiError(err) && err.reason === 'NotFound') return false;
      throw err;
    }
  }

  async isBound(node: string): Promise<boolean> {
    return (await this.binding(node)) !== undefined;
  }

  private async binding(node: string): Promise<KubeObject | undefined> {
    try {
      const secret = await this.secrets.get(nodeKeyNamespace, nodeKeySecretName(node));
      return secret.metadata.deletionTimestamp ? undefined : secret;
    } catch (err) {
      if (isApiError(err) && err.reason === 'NotFound') return undefined;
      throw err;
    }
  }

  private matches(node: string, secret: KubeObject, nodeKey: string): KeyCheck {
    const expected = storedHash(secret);
    const presented = Buffer.from(hashNodeKey(nodeKey), 'hex');
    if (expected && timingSafeEqual(expected, presented)) return { ok: true };
    return { ok: false, returnCode: 5, reason: `node ${node} is bound to another node key` };
  }
}
