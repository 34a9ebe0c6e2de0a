// The heartbeat: the few bytes an idle gateway sends every ten seconds or so. The hub renews
// the node's Lease in kube-node-lease from it, as kubelet does.
import { needCount, needEpochMillis, objectPayload, type Validator } from './checks.js';

export interface Heartbeat {
  /** observedAt: ms since the epoch on the gateway's clock. */
  t: number;
  /** Sequence number, +1 per heartbeat since the agent started. */
  s: number;
}

export const validateHeartbeat: Validator<Heartbeat> = objectPayload((errs, body) => {
  needEpochMillis(errs, body.t, 't');
  needCount(errs, body.s, 's');
});
