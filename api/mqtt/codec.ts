// Payload encoding: UTF-8 JSON, one object per message. Decoding checks the route's size
// limit before parsing, then the route's validator, so every receiver (broker, hub, agent)
// applies the same rules and reports the same field-qualified error.
import type { Validation } from './payloads/checks.js';
import type { Route } from './route.js';

export function encodePayload(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodePayload<T>(route: Route<T, string>, payload: Uint8Array | string): Validation<T> {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  if (bytes.byteLength === 0) return { ok: false, error: 'payload: empty (a cleared retained message)' };
  if (bytes.byteLength > route.maxBytes) {
    return {
      ok: false,
      error: `payload: ${bytes.byteLength} bytes is more than the ${route.maxBytes} allowed on ${route.name}`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    return { ok: false, error: `payload: not JSON (${(err as Error).message})` };
  }
  return route.validate(json);
}
