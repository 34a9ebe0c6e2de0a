// Desired-state revisions, for agents: apply a desired state only when its revision is newer
// than the one applied. The hub publishes with QoS 1 and retain, so the same revision can arrive
// twice (a redelivery, or the retained copy after a reconnect) and an older one can arrive after
// a newer one; both must change nothing.

/** True when `candidate` should be applied over `applied` (nothing applied yet: always). */
export function isNewerRevision(candidate: number, applied: number | undefined): boolean {
  if (!Number.isSafeInteger(candidate) || candidate < 0) return false;
  return applied === undefined || candidate > applied;
}
