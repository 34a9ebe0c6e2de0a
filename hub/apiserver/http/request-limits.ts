// How much the API server takes on at once and for how long, with kube-apiserver's defaults:
// --max-requests-inflight 400 and --max-mutating-requests-inflight 200 (a request past them gets
// 429 TooManyRequests with Retry-After: 1), --request-timeout 60 s (504), and its http.Server's
// ReadHeaderTimeout 32 s and IdleTimeout 90 s. Long-running requests — watches and the log,
// exec, attach, port-forward and proxy subresources — count against neither the in-flight limit
// nor the request timeout (kube's BasicLongRunningRequestCheck); TCP keep-alive finds their dead
// peers instead.
import type { RequestInfo } from '../request-info.js';

export interface ApiServerLimits {
  /** Read-only requests served at once; 0 means no limit. */
  maxRequestsInflight: number;
  /** Mutating requests served at once; 0 means no limit. */
  maxMutatingRequestsInflight: number;
  /** A non-long-running request not answered by then gets 504 Timeout. */
  requestTimeoutMs: number;
  /** From connecting (or from the previous answer) to a complete request head. */
  headersTimeoutMs: number;
  /** A kept-alive connection idle this long is closed (client-go keeps idle ones 90 s). */
  idleTimeoutMs: number;
  /** TCP keep-alive probes start after this much silence (Go's net/http default, 15 s). */
  tcpKeepAliveMs: number;
}

export const defaultApiServerLimits: ApiServerLimits = {
  maxRequestsInflight: 400,
  maxMutatingRequestsInflight: 200,
  requestTimeoutMs: 60_000,
  headersTimeoutMs: 32_000,
  idleTimeoutMs: 90_000,
  tcpKeepAliveMs: 15_000,
};

const longRunningSubresources = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);
const readOnlyVerbs = new Set(['get', 'list', 'watch']);

export function isLongRunning(info: RequestInfo): boolean {
  if (info.type !== 'resource') return false;
  return info.verb === 'watch' || longRunningSubresources.has(info.subresource ?? '');
}

/** Health probes are never turned away (kube's priority and fairness exempts them). */
export function isHealthProbe(path: string): boolean {
  return /^\/(healthz|livez|readyz)(\/|$)/.test(path);
}

export function isMutating(info: RequestInfo): boolean {
  return info.type === 'resource' && !readOnlyVerbs.has(info.verb);
}

/** Counts requests in flight in two pools, read-only and mutating, like kube's maxinflight filter. */
export class InflightLimiter {
  private readOnly = 0;
  private mutating = 0;

  constructor(
    private readonly limits: Pick<ApiServerLimits, 'maxRequestsInflight' | 'maxMutatingRequestsInflight'>,
  ) {}

  /** Requests being served now, by pool. */
  inFlight(): { readOnly: number; mutating: number } {
    return { readOnly: this.readOnly, mutating: this.mutating };
  }

  /** A release function, or undefined when the request's pool is full. */
  tryAcquire(mutating: boolean): (() => void) | undefined {
    const limit = mutating ? this.limits.maxMutatingRequestsInflight : this.limits.maxRequestsInflight;
    const inFlight = mutating ? this.mutating : this.readOnly;
    if (limit > 0 && inFlight >= limit) return undefined;
    if (mutating) this.mutating++;
    else this.readOnly++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (mutating) this.mutating--;
      else this.readOnly--;
    };
  }
}
