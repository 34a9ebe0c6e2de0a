// The relay's own answers, as Kubernetes Status bodies (api/errors.ts): 503 while the hub is
// unreachable, naming since when and why the cache cannot answer instead.
import type { ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';

export function unreachable(node: string, since: number, why: 'write' | 'unknown'): ApiError {
  const when = new Date(since).toISOString();
  const what =
    why === 'write'
      ? 'writes are refused until it is back'
      : 'this request was not made with this token while the hub was reachable, so the gateway has no answer it may give';
  return new ApiError(
    'ServiceUnavailable',
    `the hub is unreachable from gateway ${node} since ${when}: ${what}`,
    { retryAfterSeconds: 10 },
  );
}

export function sendStatus(res: ServerResponse, err: ApiError): void {
  if (res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(err.toStatus());
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  };
  const retry = err.details?.retryAfterSeconds;
  if (retry !== undefined) headers['Retry-After'] = String(retry);
  // A body refused before it was read would otherwise be parsed as the next request.
  if (err.code === 413) headers.Connection = 'close';
  res.writeHead(err.code, headers);
  res.end(body);
}
