// What the relay answers while the hub is unreachable (relay-request.ts decides which): a read
// this token made before, from the cache, with a Warning saying from when; a watch of a
// collection it listed, held open without events (ended when the hub is back, see api-relay.ts);
// anything else 503 with since when.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RelayCache } from './relay-cache.js';
import { header } from './relay-http.js';
import { offlineAnswer, type RelayRequestInfo, readKey } from './relay-request.js';
import { sendStatus, unreachable } from './relay-status.js';

export interface OfflineContext {
  nodeName: string;
  cache: RelayCache;
  /** Since when the hub is unreachable (ms). */
  since: number;
  /** Watches held open; the relay ends them when the link is back. */
  held: Set<ServerResponse>;
}

export function answerOffline(
  ctx: OfflineContext,
  info: RelayRequestInfo,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const accept = header(req, 'accept');
  const answer = offlineAnswer(info, ctx.cache, accept);
  const key = readKey(info, accept);
  const cached = answer.kind === 'cached' && key ? ctx.cache.get(key) : undefined;
  if (cached) {
    const warning = `299 - "served by gateway ${ctx.nodeName} from its cache of ${new Date(cached.storedAt).toISOString()}: the hub is unreachable since ${new Date(ctx.since).toISOString()}"`;
    res.writeHead(cached.status, {
      'Content-Type': cached.contentType,
      'Content-Length': cached.body.length,
      Warning: warning,
    });
    res.end(info.method === 'HEAD' ? undefined : cached.body);
    return;
  }
  if (answer.kind === 'hold-watch') {
    // Nothing to tell until the hub is back: then the watch ends and the client watches again.
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    ctx.held.add(res);
    res.once('close', () => ctx.held.delete(res));
    return;
  }
  // A cached read whose file went bad is "unknown" now.
  sendStatus(
    res,
    unreachable(ctx.nodeName, ctx.since, answer.kind === 'unavailable' ? answer.why : 'unknown'),
  );
}
