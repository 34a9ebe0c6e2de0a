// Defensive reads of untyped object fields. Table printing runs on whatever the store
// holds; a malformed field must print as empty rather than fail a whole `kubectl get`.

/** The value if it is an array, else an empty one. */
export function listOf<T>(value: T[] | undefined | unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** The value if it is a plain object, else an empty one. */
export function recordOf<T = unknown>(value: Record<string, T> | undefined | unknown): Record<string, T> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, T>)
    : {};
}

/** A number field, or the fallback (kube-apiserver prints defaulted or zero values). */
export function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** A non-empty string field, or the fallback. */
export function textOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
