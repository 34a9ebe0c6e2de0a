// LIST paging tokens. Opaque to clients (base64url of JSON), they carry the last key returned
// and the resourceVersion of the first page, like kube-apiserver's continue tokens.
import { badRequest } from '../../api/errors.js';

export interface ContinuePoint {
  /** The last key the previous page returned; the next page starts after it. */
  key: string;
  /** The resourceVersion of the first page, reported again by every later page. */
  resourceVersion: string;
}

export function encodeContinue(point: ContinuePoint): string {
  return Buffer.from(JSON.stringify({ key: point.key, rv: point.resourceVersion })).toString('base64url');
}

/** Throws ApiError BadRequest for anything encodeContinue could not have produced. */
export function decodeContinue(token: string): ContinuePoint {
  const invalid = badRequest(
    'continue key is not valid: the token is malformed; restart the list without it',
  );
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalid;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const { key, rv } = (decoded ?? {}) as { key?: unknown; rv?: unknown };
  if (typeof key !== 'string' || key === '' || typeof rv !== 'string' || !/^\d+$/.test(rv)) throw invalid;
  return { key, resourceVersion: rv };
}
