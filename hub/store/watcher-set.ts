// The live watches on one resource. Delivery is synchronous and in resourceVersion order; a
// callback that throws is reported and skipped, never allowed to fail the write or starve the
// other watchers.
import type { LoggedEvent } from './event-log.js';
import { eventFor, type ObjectFilter } from './object-filter.js';
import type { StoreEvent, Watch } from './store.js';

interface Watcher {
  matches: ObjectFilter;
  onEvent: (event: StoreEvent) => void;
  /** Live events at or below this resourceVersion were already covered by the backlog. */
  after: number;
  active: boolean;
}

export class WatcherSet {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Deliver `backlog` now, then every matching change above `after` until stopped. */
  add(
    matches: ObjectFilter,
    onEvent: (event: StoreEvent) => void,
    backlog: StoreEvent[],
    after: number,
  ): Watch {
    const watcher: Watcher = { matches, onEvent, after, active: true };
    this.watchers.add(watcher);
    for (const event of backlog) {
      if (!watcher.active) break;
      this.deliver(watcher, event);
    }
    return {
      stop: () => {
        watcher.active = false;
        this.watchers.delete(watcher);
      },
    };
  }

  dispatch(event: LoggedEvent): void {
    // A snapshot, so that watches started or stopped by a callback do not disturb this round.
    for (const watcher of [...this.watchers]) {
      if (!watcher.active || event.rv <= watcher.after) continue;
      const seen = eventFor(event, watcher.matches);
      if (seen) this.deliver(watcher, seen);
    }
  }

  stopAll(): void {
    for (const watcher of this.watchers) watcher.active = false;
    this.watchers.clear();
  }

  private deliver(watcher: Watcher, event: StoreEvent): void {
    try {
      watcher.onEvent(event);
    } catch (err) {
      this.onError(err);
    }
  }
}
