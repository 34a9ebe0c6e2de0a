// Admits a request to be served, or refuses it: the in-flight limit (429) before any work, and
// the request timeout (504) while it runs. Wraps every request the API handler serves.
import type { ServerResponse } from 'node:http';
import { requestTimeout, tooManyRequests } from '../../../api/errors.js';
import type { RequestInfo } from '../request-info.js';
import {
  type ApiServerLimits,
  InflightLimiter,
  isHealthProbe,
  isLongRunning,
  isMutating,
} from './request-limits.js';
import { sendError } from './respond.js';

export class RequestAdmission {
  private readonly inflight: InflightLimiter;

  constructor(private readonly limits: ApiServerLimits) {
    this.inflight = new InflightLimiter(limits);
  }

  /** Requests being served now, by pool (apiserver_current_inflight_requests). */
  inFlight(): { readOnly: number; mutating: number } {
    return this.inflight.inFlight();
  }

  /** Throws 429 when the request's pool is full; otherwise returns what to call when it is done. */
  admit(path: string, info: RequestInfo, res: ServerResponse): () => void {
    if (isLongRunning(info) || isHealthProbe(path)) return () => {};
    const release = this.inflight.tryAcquire(isMutating(info));
    if (!release) throw tooManyRequests(1);
    const deadline = setTimeout(() => {
      // The handler may still finish later; what it writes then goes nowhere (respond.ts).
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // The body may still be arriving: answer, then close rather than drain it.
      res.shouldKeepAlive = false;
      res.setHeader('Connection', 'close');
      sendError(res, requestTimeout());
    }, this.limits.requestTimeoutMs);
    return () => {
      clearTimeout(deadline);
      release();
    };
  }
}
