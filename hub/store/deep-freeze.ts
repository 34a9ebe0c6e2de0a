// Stored objects are shared, not copied: get, list and watch hand out the very object the store
// holds, so LIST of 10k pods costs no cloning. Freezing is what makes that sharing safe — a
// caller that mutates a stored object gets a TypeError instead of silently corrupting the store
// (the controller-runtime rule "never mutate an object that came from a cache", enforced).
// Callers that want to change an object structuredClone it first.

/** Freeze `value` and everything reachable from it; returns `value`. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
