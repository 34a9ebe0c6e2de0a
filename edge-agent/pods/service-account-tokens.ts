// The ServiceAccount tokens of the pods' projected volumes (kubelet's token manager): asked of
// the hub when a pod's sandbox is created (prefetch: the answer is back by the time its volumes
// are set up, instead of one more round trip to the hub before its first container), kept in
// memory, and asked again once 80% of a token's lifetime has passed or it is 24 hours old. While the hub cannot be reached the last token stays in place
// (the hub issues pods' hourly tokens valid for a year, so they keep working); after an agent
// restart the token already on disk is taken back, so a gateway rebooted while cut off still
// starts its pods with their tokens.
import type { Clock } from '../../api/clock.js';
import type { KubeObject } from '../../api/types.js';
import { podName, podNamespace, podSpecOf, podUid } from './pod-spec.js';

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
  /** Requests to the hub in flight, by key: a prefetch and the volume set-up share one. */
  private readonly asking = new Map<string, Promise<HeldToken>>();
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
      return (await this.ask(key, pod, spec, now)).token;
    } catch (err) {
      if (held) return held.token;
      throw new TokenUnavailableError(`failed to fetch token: ${(err as Error).message}`);
    }
  }

  /**
   * Asks the hub now for the tokens of `pod`'s projected volumes that none is held for (a pod
   * whose sandbox is being created). A failure here is what token() meets next: the token on
   * disk, or the volume's error.
   */
  prefetch(pod: KubeObject): void {
    if (!this.source) return;
    const now = this.clock.now().getTime();
    for (const spec of tokenSourcesOf(pod)) {
      const key = keyOf(podUid(pod), spec);
      if (this.held.has(key) || this.waiting(key, now)) continue;
      this.ask(key, pod, spec, now).catch(() => {});
    }
  }

  private ask(key: string, pod: KubeObject, spec: TokenSourceSpec, now: number): Promise<HeldToken> {
    const inFlight = this.asking.get(key);
    if (inFlight) return inFlight;
    const source = this.source;
    const asking = (async () => {
      if (!source) throw new Error('no hub link to ask for a token');
      const reply = await source.request({
        namespace: podNamespace(pod),
        pod: podName(pod),
        uid: podUid(pod),
        audience: spec.audience || undefined,
        expirationSeconds: spec.expirationSeconds ?? 3600,
      });
      return { token: reply.token, issuedAt: now, expiresAt: reply.expirationTimestamp };
    })();
    this.asking.set(key, asking);
    // Recorded unless the pod was forgotten meanwhile (forget() drops its requests too).
    const current = () => this.asking.get(key) === asking;
    asking.then(
      (fresh) => {
        if (!current()) return;
        this.asking.delete(key);
        this.held.set(key, fresh);
        this.failedAt.delete(key);
      },
      () => {
        if (!current()) return;
        this.asking.delete(key);
        this.failedAt.set(key, now);
      },
    );
    return asking;
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
    for (const key of [...this.asking.keys()]) if (key.startsWith(`${uid}\0`)) this.asking.delete(key);
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

/** The ServiceAccount token sources of a pod's projected volumes. */
function tokenSourcesOf(pod: KubeObject): TokenSourceSpec[] {
  return (podSpecOf(pod).volumes ?? []).flatMap((volume) =>
    (volume.projected?.sources ?? []).flatMap((source) =>
      source.serviceAccountToken ? [source.serviceAccountToken] : [],
    ),
  );
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
