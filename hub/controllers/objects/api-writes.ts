// Writes whose expected failures are not errors for a level-based controller: the object is
// already gone, or already there.
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
