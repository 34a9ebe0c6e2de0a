// One informer per resource, shared by every controller in the process.
import type { Logger } from '../../api/logger.js';
import { type ResourceInfo, storageName } from '../../api/resources.js';
import type { Store } from '../store/store.js';
import { Informer } from './informer.js';

export class SharedInformers {
  private readonly informers = new Map<string, Informer>();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly log?: Logger,
  ) {}

  for(info: Pick<ResourceInfo, 'group' | 'resource'>): Informer {
    const name = storageName(info);
    let informer = this.informers.get(name);
    if (!informer) {
      // Asked for after stop (a controller's last failure, reported as the hub shuts down):
      // the store is closed, so no new informer can start.
      if (this.stopped) throw new Error(`informers stopped: no ${name} informer`);
      informer = new Informer(this.store, name, this.log);
      informer.start();
      this.informers.set(name, informer);
    }
    return informer;
  }

  stop(): void {
    this.stopped = true;
    for (const informer of this.informers.values()) informer.stop();
    this.informers.clear();
  }
}
