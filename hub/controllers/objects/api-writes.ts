// Writes whose expected failures are not errors for a level-based controller: the object is
// already gone, or already there, or its namespace is going away.
import { ApiError } from '../../../api/errors.js';

export function isApiError(err: unknown, reason: ApiError['reason']): boolean {
  return err instanceof ApiError && err.reason === reason;
}

/** Resolves to undefined when the write failed because the object no longer exists. */
export async function ignoreNotFound<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (err) {
    if (isApiError(err, 'NotFound')) return undefined;
    throw err;
  }
}

/** Creating into a namespace that is being deleted will never work; the namespace controller cleans up. */
export function isNamespaceTerminating(err: unknown): boolean {
  return (
    err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')
  );
}
