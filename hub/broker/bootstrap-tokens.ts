// The hub's bootstrap tokens: Secrets in kube-system in kubeadm's format (api/bootstrap-token.ts),
// written and read through the Registry so `kubectl -n kube-system get secrets` and
// `flotilla token` see the same objects. authenticate() applies the checks of Kubernetes' bootstrap
// token authenticator: the Secret exists, is well formed, allows authentication, has not expired
// and its secret matches (compared in constant time).

import {
  type BootstrapToken,
  bootstrapTokenNamespace,
  bootstrapTokenSecret,
  bootstrapTokenSecretName,
  generateBootstrapToken,
  isExpired,
  parseBootstrapToken,
  readBootstrapTokenSecret,
} from '../../api/bootstrap-token.js';
import type { Clock } from '../../api/clock.js';
import { isApiError } from '../../api/errors.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';
import { tokenMatches } from '../pki/hub-credentials.js';

/** kubeadm's default time to live. */
export const defaultTokenTtlMs = 24 * 3600 * 1000;

export type TokenCheck = { ok: true; id: string } | { ok: false; reason: string };

export interface NewToken {
  /** 0: never expires. Default 24 h. */
  ttlMs?: number;
  description?: string;
}

export class BootstrapTokens {
  constructor(
    private readonly secrets: ResourceStore,
    private readonly clock: Clock,
  ) {}

  /** Creates a token Secret; returns the token `<id>.<secret>`. */
  async create(options: NewToken = {}): Promise<string> {
    const ttlMs = options.ttlMs ?? defaultTokenTtlMs;
    const token = generateBootstrapToken();
    const parsed = parseBootstrapToken(token)!;
    const spec: BootstrapToken = {
      ...parsed,
      expiration: ttlMs > 0 ? new Date(this.clock.now().getTime() + ttlMs) : undefined,
      description: options.description,
      usages: ['authentication', 'signing'],
    };
    await this.secrets.create(bootstrapTokenNamespace, bootstrapTokenSecret(spec));
    return token;
  }

  /** The token with this id as stored; a string saying why its Secret is unusable; undefined when absent. */
  async stored(id: string): Promise<BootstrapToken | string | undefined> {
    try {
      const secret = await this.secrets.get(bootstrapTokenNamespace, bootstrapTokenSecretName(id));
      return secret.metadata.deletionTimestamp ? undefined : readBootstrapTokenSecret(secret);
    } catch (err) {
      if (isApiError(err) && err.reason === 'NotFound') return undefined;
      throw err;
    }
  }

  /** Whether `token` may join a gateway now; the reason when not (for the hub's log only). */
  async authenticate(token: string): Promise<TokenCheck> {
    const parsed = parseBootstrapToken(token);
    if (!parsed) return { ok: false, reason: 'bootstrap token is not of the form [a-z0-9]{6}.[a-z0-9]{16}' };
    const stored = await this.stored(parsed.id);
    if (stored === undefined)
      return { ok: false, reason: `bootstrap token ${parsed.id} is unknown or revoked` };
    if (typeof stored === 'string') return { ok: false, reason: `bootstrap token ${parsed.id}: ${stored}` };
    if (!tokenMatches(parsed.secret, stored.secret)) {
      return { ok: false, reason: `bootstrap token ${parsed.id} is unknown or revoked` };
    }
    if (!stored.usages.includes('authentication')) {
      return { ok: false, reason: `bootstrap token ${parsed.id} is not for authentication` };
    }
    if (isExpired(stored, this.clock.now())) {
      return {
        ok: false,
        reason: `bootstrap token ${parsed.id} expired at ${stored.expiration!.toISOString()}`,
      };
    }
    return { ok: true, id: parsed.id };
  }
}
