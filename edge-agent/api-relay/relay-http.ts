// The HTTP side of a pod's request at the relay: its headers, what of it is relayed, its body
// (bounded by relayBodyMaxBytes: 413 beyond, as kube-apiserver answers a body too large).
import type { IncomingMessage } from 'node:http';
import { entityTooLarge } from '../../api/errors.js';
import {
  type ApiRequest,
  type RelayHeaders,
  relayBodyMaxBytes,
  relayedRequestHeaders,
} from '../../api/mqtt/payloads/api-relay.js';
import { bytesChunk } from '../../api/mqtt/payloads/requests.js';

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function relayedHeaders(req: IncomingMessage): RelayHeaders {
  const out: RelayHeaders = {};
  for (const name of relayedRequestHeaders) {
    const value = req.headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export function toBody(body: Buffer): Pick<ApiRequest, 'body' | 'encoding'> {
  const chunk = bytesChunk(body);
  return chunk.encoding === 'base64' ? { body: chunk.data, encoding: 'base64' } : { body: chunk.data };
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > relayBodyMaxBytes) throw entityTooLarge(`limit is ${relayBodyMaxBytes}`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > relayBodyMaxBytes) throw entityTooLarge(`limit is ${relayBodyMaxBytes}`);
    parts.push(part);
  }
  return Buffer.concat(parts);
}
