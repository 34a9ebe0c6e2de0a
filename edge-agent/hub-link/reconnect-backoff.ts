// Reconnect delays: exponential from `initialMs` to `maxMs`, forever (a gateway never gives up
// on its hub), with jitter so a fleet that lost its hub together does not return in lockstep.
import { backoffDelay, withJitter } from '../../api/backoff.js';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Fraction of the delay added or taken at random, 0 to 1. */
  jitter: number;
  /** The longest wait after an attempt refused at TCP (nothing listening); default `maxMs`. */
  refusedMaxMs?: number;
}

// 30 s at most: after a long outage the uplink's return is noticed within half a minute (the
// partition chaos test measured 44–46 s to recover with 60 s), and even 10,000 gateways retrying
// every 30 s against a hub that is down are only about 330 connection attempts a second.
//
// A connection refused at TCP (ECONNREFUSED: the hub's machine is up but nothing listens, as while
// a hub restarts and loads its store) costs the hub nothing, so those attempts wait 5 s at most:
// a restarted hub has its fleet back within seconds of listening again, not up to 30 s later
// (10,000 gateways waited out a 16 s back-off step that began just before a 16 s hub start).
// Anything the hub itself answers (TLS, a CONNACK refusal, a timeout) backs off to `maxMs`.
export const defaultReconnectBackoff: BackoffOptions = {
  initialMs: 1_000,
  maxMs: 30_000,
  jitter: 0.2,
  refusedMaxMs: 5_000,
};

/**
 * The wait before attempt number `failures` + 1 (`failures` >= 1); `refused`: the last attempt
 * was refused at TCP.
 */
export function reconnectDelay(
  failures: number,
  options: BackoffOptions,
  random = Math.random,
  refused = false,
): number {
  const cap = refused ? Math.min(options.maxMs, options.refusedMaxMs ?? options.maxMs) : options.maxMs;
  const base = backoffDelay(Math.max(1, failures), { initialMs: options.initialMs, maxMs: cap });
  return withJitter(base, options.jitter, cap, random);
}

/** A session up this long counts as healthy: the next failure starts the back-off over. */
export const stableSessionMs = 30_000;

/**
 * One link's back-off: attempts failed since the last session that stayed up. Only such a
 * session resets it: a hub that accepts and then drops the connection at once must not be
 * hammered every second.
 */
export class ReconnectBackoff {
  /** Attempts failed (or sessions lost early) since the last stable session. */
  failures = 0;
  private connectedAt: number | undefined;

  constructor(private readonly options: BackoffOptions = defaultReconnectBackoff) {}

  /** A CONNACK arrived. */
  connected(now = Date.now()): void {
    this.connectedAt = now;
  }

  /**
   * The connection ended or an attempt failed (`refused`: at TCP, nothing listening): how long it
   * was up, and the wait before the next.
   */
  next(now = Date.now(), refused = false): { upForMs: number | undefined; delayMs: number } {
    const upForMs = this.connectedAt === undefined ? undefined : now - this.connectedAt;
    this.connectedAt = undefined;
    if (upForMs !== undefined && upForMs >= stableSessionMs) this.failures = 0;
    this.failures++;
    return { upForMs, delayMs: reconnectDelay(this.failures, this.options, Math.random, refused) };
  }
}

/** CONNACK return codes of MQTT 3.1.1 [MQTT-3.2.2.3], with what the operator can do about them. */
const refusals: Record<number, string> = {
  1: 'the hub does not accept MQTT 3.1.1',
  2: 'client id rejected: the node name may not be a valid DNS-1123 subdomain',
  3: 'hub unavailable',
  4: 'bad username or password: this node name has no node key bound yet (or its Node was deleted), so a valid bootstrap token is needed: check --token (`flotilla token list` on the hub)',
  5: 'not authorized: this node name is bound to another gateway (another node key than DIR/node-key)',
};

/** TLS verification failures (Node's error codes), with what the operator can do about them. */
const tlsFailures: Record<string, string> = {
  ERR_TLS_CERT_ALTNAME_INVALID:
    "the hub's certificate does not cover this address: use a name it covers, or start the hub with --tls-san ADDRESS",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "the hub's certificate is not signed by the hub CA this agent trusts (a new hub? give its join string)",
  CERT_SIGNATURE_FAILURE:
    "the hub's certificate is not signed by the hub CA this agent trusts (a new hub? give its join string)",
  SELF_SIGNED_CERT_IN_CHAIN:
    'the hub presents a CA this agent does not trust (a new hub? give its join string)',
  CERT_HAS_EXPIRED: "the hub's certificate has expired (restart the hub to renew it)",
};

/** A readable cause for a failed connection attempt. */
export function describeConnectError(err: Error & { code?: unknown }): string {
  if (typeof err.code === 'number' && refusals[err.code])
    return `hub refused the connection: ${refusals[err.code]}`;
  if (typeof err.code === 'string' && tlsFailures[err.code])
    return `TLS: ${tlsFailures[err.code]} (${err.message})`;
  return err.message;
}
