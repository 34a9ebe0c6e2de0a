// Writing responses: JSON objects, Kubernetes Status errors, and content negotiation for Tables.
import type { ServerResponse } from 'node:http';
import { ApiError, internalError } from '../../../api/errors.js';
import { objectJson } from './object-json.js';

export const tableContentType = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** Sends `body` as JSON; a string body is taken to be JSON text already. */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  // Already answered (a request timeout's 504): a late result is dropped.
  if (res.writableEnded) return;
  const text =
    typeof body === 'string'
      ? body
      : typeof body === 'object' && body !== null
        ? objectJson(body)
        : JSON.stringify(body);
  // Encode once: Buffer.byteLength plus end(string) would walk a large body twice.
  const bytes = Buffer.from(text, 'utf8');
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': bytes.length,
    'Cache-Control': 'no-cache, private',
  });
  res.end(bytes);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const apiError =
    err instanceof ApiError ? err : internalError(err instanceof Error ? err.message : String(err));
  if (res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // kube's responsewriters set Retry-After from the Status (429 and 5xx).
  const retryAfter = apiError.details?.retryAfterSeconds;
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  sendJson(res, apiError.code, apiError.toStatus());
}

/** True when the client asked for `meta.k8s.io/v1 Table` (kubectl get does, v1 or v1beta1). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => /;\s*as=Table/.test(part) && /;\s*g=meta\.k8s\.io/.test(part));
}
