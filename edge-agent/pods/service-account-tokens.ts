// The ServiceAccount tokens of the pods' projected volumes (kubelet's token manager): asked of
// the hub when a pod starts, kept in memory, and asked again once 80% of a token's lifetime has
// passed or it is 24 hours old. While the hub cannot be reached the last token stays in place
// (the hub issues pods' hourly tokens valid for a year, so they keep working); after an agent
// restart the token already on disk is taken back, so a gateway rebooted while cut off still
// starts its pods with their tokens.
import type { Clock } from '../../api/clock.js';
import type { KubeObject } from '../../api/types.js';
import { podName, podNamespace, podUid } from './pod-spec.js';

export interface TokenAsk {
  namespace: string;
  pod: string;
  uid: string;
  audience?: string | undefined;
  expirationSeconds: number;
}

/** The hub, over the MQTT link: a token or an error (unreachable, refused). */
export interface TokenSource {
  request(ask: TokenAsk): Promise<{ token: string; expirationTimestamp: number }>;
}

export interface TokenSourceSpec {
  audience?: string | undefined;
  expirationSeconds?: number | undefined;
  path: string;
}

export interface TokenPolicy {
  /** Part of a token's lifetime after which it is renewed (kubelet: 0.8). */
  refreshFraction: number;
  /** Age after which it is renewed whatever its lifetime (kubelet: 24 h). */
  maxAgeMs: number;
}

export const kubeletTokenPolicy: TokenPolicy = { refreshFraction: 0.8, maxAgeMs: 24 * 3600_000 };

/** After a failed request, the held token is used this long before the hub is asked again. */
const retryAfterMs = 10_000;

interface HeldToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

export class TokenUnavailableError extends Error {
  override name = 'TokenUnavailableError';
}

export class ServiceAccountTokens {
  private readonly held = new Map<string, HeldToken>();
  /** When a renewal of the held token last failed, by key. */
  private readonly failedAt = new Map<string, number>();
  private readonly policy: TokenPolicy;

  constructor(
    private readonly source: TokenSource | undefined,
    private readonly clock: Clock,
    policy: Partial<TokenPolicy> = {},
  ) {
    this.policy = { ...kubeletTokenPolicy, ...policy };
  }

  /**
   * The token for `pod`'s projection: the one held while it is fresh, else a new one from the
   * hub, else (hub unreachable) the one held or the one on disk (`onDisk`), else an error.
   */
  async token(pod: KubeObject, spec: TokenSourceSpec, onDisk: string | undefined): Promise<string> {
    const key = keyOf(podUid(pod), spec);
    const now = this.clock.now().getTime();
    let held = this.held.get(key);
    if (!held && onDisk) {
      held = heldFromJwt(onDisk);
      if (held) this.held.set(key, held);
    }
    if (held && (!this.due(held, now) || this.waiting(key, now))) return held.token;
    try {
      if (!this.source) throw new Error('no hub link to ask for a token');
      const reply = await this.source.request({
        namespace: podNamespace(pod),
        pod: podName(pod),
        uid: podUid(pod),
        audience: spec.audience || undefined,
        expirationSeconds: spec.expirationSeconds ?? 3600,
      });
      const fresh = { token: reply.token, issuedAt: now, expiresAt: reply.expirationTimestamp };
      this.held.set(key, fresh);
      this.failedAt.delete(key);
      return fresh.token;
    } catch (err) {
      this.failedAt.set(key, now);
      if (held) return held.token;
      throw new TokenUnavailableError(`failed to fetch token: ${(err as Error).message}`);
    }
  }

  /** Whether any token of the pod is due for renewal (the pod's volumes are then refreshed). */
  refreshDue(uid: string): boolean {
    const now = this.clock.now().getTime();
    for (const [key, held] of this.held) {
      if (key.startsWith(`${uid}\0`) && this.due(held, now) && !this.waiting(key, now)) return true;
    }
    return false;
  }

  forget(uid: string): void {
    for (const key of [...this.held.keys()]) {
      if (key.startsWith(`${uid}\0`)) {
        this.held.delete(key);
        this.failedAt.delete(key);
      }
    }
  }

  private waiting(key: string, now: number): boolean {
    const failed = this.failedAt.get(key);
    return failed !== undefined && now - failed < retryAfterMs;
  }

  private due(held: HeldToken, now: number): boolean {
    const lifetime = held.expiresAt - held.issuedAt;
    return (
      now >= held.issuedAt + lifetime * this.policy.refreshFraction ||
      now - held.issuedAt >= this.policy.maxAgeMs
    );
  }
}

function keyOf(uid: string, spec: TokenSourceSpec): string {
  return `${uid}\0${spec.audience ?? ''}\0${spec.expirationSeconds ?? 3600}\0${spec.path}`;
}

/**
 * A token read back from disk: issued at its iat, expiring at its nominal expiry (the
 * `kubernetes.io` warnafter of an extended token, else exp). Unreadable: undefined.
 */
export function heldFromJwt(token: string): HeldToken | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      iat?: unknown;
      exp?: unknown;
      'kubernetes.io'?: { warnafter?: unknown };
    };
    const warnafter = claims['kubernetes.io']?.warnafter;
    const expiry = typeof warnafter === 'number' ? warnafter : claims.exp;
    if (typeof claims.iat !== 'number' || typeof expiry !== 'number') return undefined;
    return { token, issuedAt: claims.iat * 1000, expiresAt: expiry * 1000 };
  } catch {
    return undefined;
  }
}
