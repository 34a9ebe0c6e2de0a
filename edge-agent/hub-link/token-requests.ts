// The agent's token requests in flight (route tokenRequest, answered on tokens/replies/{id}):
// each gets an id, and is settled by the hub's reply or given up after a timeout. Without a
// connection a request fails at once, and the token manager keeps the token it holds.
import { randomBytes } from 'node:crypto';
import type {
  TokenReplyPayload,
  TokenRequestPayload,
} from '../../api/mqtt/payloads/service-account-token.js';
import type { TokenAsk, TokenSource } from '../pods/service-account-tokens.js';

const replyTimeoutMs = 15_000;

interface Pending {
  resolve(reply: { token: string; expirationTimestamp: number }): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class TokenRequests implements TokenSource {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly send: (request: TokenRequestPayload) => Promise<void>) {}

  request(ask: TokenAsk): Promise<{ token: string; expirationTimestamp: number }> {
    const id = `t-${randomBytes(6).toString('hex')}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the hub did not answer token request ${id} within ${replyTimeoutMs / 1000} s`));
      }, replyTimeoutMs);
      timer.unref();
      this.pending.set(id, { resolve, reject, timer });
      const payload: TokenRequestPayload = {
        id,
        namespace: ask.namespace,
        pod: ask.pod,
        uid: ask.uid,
        expirationSeconds: ask.expirationSeconds,
        ...(ask.audience ? { audience: ask.audience } : {}),
      };
      this.send(payload).catch((err: Error) => this.settle(id, undefined, err));
    });
  }

  receive(reply: TokenReplyPayload): void {
    if (reply.token !== undefined && reply.expirationTimestamp !== undefined) {
      this.settle(reply.id, { token: reply.token, expirationTimestamp: reply.expirationTimestamp });
    } else {
      this.settle(reply.id, undefined, new Error(reply.error ?? 'the hub sent no token'));
    }
  }

  cancelAll(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, new Error('hub link stopped'));
  }

  private settle(
    id: string,
    value: { token: string; expirationTimestamp: number } | undefined,
    err?: Error,
  ): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (value) pending.resolve(value);
    else pending.reject(err ?? new Error('no token'));
  }
}
