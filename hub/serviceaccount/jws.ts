// Compact JWS with RS256 (RFC 7515, RFC 7518 §3.3) over node:crypto: the three base64url parts
// header.payload.signature. Verification checks the header's alg and kid before the signature,
// so a token naming another algorithm ("none", HS256 with the public key as secret) is refused.
import { createSign, createVerify, type KeyObject } from 'node:crypto';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJws(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const input = `${encode({ alg: 'RS256', kid })}.${encode(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

export type JwsResult = { ok: true; payload: Record<string, unknown> } | { ok: false; error: string };

const base64url = /^[A-Za-z0-9_-]*$/;

/** The payload of a token whose signature `key` made; why not otherwise. */
export function verifyJws(token: string, key: KeyObject, kid: string): JwsResult {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => base64url.test(part))) {
    return { ok: false, error: 'not a compact JWS' };
  }
  const [header, payload, signature] = parts as [string, string, string];
  const head = parseJson(header);
  if (!head || head.alg !== 'RS256') return { ok: false, error: 'unsupported signing algorithm' };
  if (head.kid !== undefined && head.kid !== kid) return { ok: false, error: 'unknown signing key' };
  const valid = createVerify('RSA-SHA256')
    .update(`${header}.${payload}`)
    .verify(key, Buffer.from(signature, 'base64url'));
  if (!valid) return { ok: false, error: 'invalid signature' };
  const claims = parseJson(payload);
  return claims ? { ok: true, payload: claims } : { ok: false, error: 'malformed claims' };
}

/** A JWS part's JSON object, unverified (the agent reads its own token's expiry this way). */
export function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
