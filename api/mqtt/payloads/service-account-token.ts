// A gateway asks the hub for the ServiceAccount token of one of its pods (the token source of a
// projected volume, kubelet's TokenRequest): the hub answers on the node's own `tokens/replies/{id}`
// topic with a token bound to that pod, or why not. The hub issues tokens only for pods bound to
// the asking gateway, with the uid the gateway names (node restriction).
import { invalidValue } from '../../errors.js';

import { needCount, needString, objectPayload, optCount, optString, type Validator } from './checks.js';
import { requestIdPattern } from './requests.js';

export interface TokenRequestPayload {
  /** Answered on `tokens/replies/{id}`. */
  id: string;
  namespace: string;
  pod: string;
  /** The pod's uid: a token is never issued for another pod of the same name. */
  uid: string;
  /** The projection's audience; the API server's when absent. */
  audience?: string;
  expirationSeconds: number;
}

export interface TokenReplyPayload {
  id: string;
  token?: string;
  /** When the agent should consider it expired (ms since the epoch); it refreshes well before. */
  expirationTimestamp?: number;
  /** Why no token was issued. */
  error?: string;
}

function checkId(errs: Parameters<Parameters<typeof objectPayload>[0]>[0], value: unknown): void {
  const id = needString(errs, value, 'id', 64);
  if (id !== undefined && !requestIdPattern.test(id)) {
    errs.push(invalidValue('id', id, "must be 1-64 letters, digits, '-' or '_'"));
  }
}

export const validateTokenRequest: Validator<TokenRequestPayload> = objectPayload((errs, body) => {
  checkId(errs, body.id);
  needString(errs, body.namespace, 'namespace', 63);
  needString(errs, body.pod, 'pod', 253);
  needString(errs, body.uid, 'uid', 64);
  optString(errs, body.audience, 'audience', 512);
  const seconds = needCount(errs, body.expirationSeconds, 'expirationSeconds');
  if (seconds !== undefined && seconds < 600) {
    errs.push(invalidValue('expirationSeconds', seconds, 'may not specify a duration less than 10 minutes'));
  }
});

export const validateTokenReply: Validator<TokenReplyPayload> = objectPayload((errs, body) => {
  checkId(errs, body.id);
  optString(errs, body.token, 'token', 16 * 1024);
  optCount(errs, body.expirationTimestamp, 'expirationTimestamp');
  optString(errs, body.error, 'error', 1024);
});
