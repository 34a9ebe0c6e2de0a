// Controller expectations (kube's ControllerExpectations / UIDTrackingControllerExpectations):
// after asking for N creations and some deletions, a controller waits to see them in its
// informers before it counts again, so a reconcile that runs while its own writes are in flight
// does not create or delete twice. Expectations expire so a lost event cannot wedge a key.
import type { Clock } from '../../../api/clock.js';

const ttlMs = 5 * 60 * 1000;

interface Pending {
  adds: number;
  deletes: Set<string>;
  since: number;
}

export class Expectations {
  private readonly byKey = new Map<string, Pending>();

  constructor(private readonly clock: Clock) {}

  /** True when nothing is outstanding for `key` (or what was expected is too old to wait for). */
  satisfied(key: string): boolean {
    const pending = this.byKey.get(key);
    if (!pending) return true;
    if (pending.adds <= 0 && pending.deletes.size === 0) return true;
    return this.clock.now().getTime() - pending.since > ttlMs;
  }

  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { adds: count, deletes: new Set(), since: this.clock.now().getTime() });
  }

  expectDeletions(key: string, objectKeys: readonly string[]): void {
    this.byKey.set(key, { adds: 0, deletes: new Set(objectKeys), since: this.clock.now().getTime() });
  }

  creationObserved(key: string, count = 1): void {
    const pending = this.byKey.get(key);
    if (pending) pending.adds -= count;
  }

  deletionObserved(key: string, objectKey: string): void {
    this.byKey.get(key)?.deletes.delete(objectKey);
  }

  /** The controller object is gone: nothing to wait for any more. */
  forget(key: string): void {
    this.byKey.delete(key);
  }
}
