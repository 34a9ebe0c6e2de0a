// The Endpoints controller: keeps the core/v1 Endpoints object of every Service with a
// selector equal to the pods it selects (addresses ready or not), and removes it with the
// Service. Selector-less and ExternalName Services keep whatever Endpoints their users write.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import { splitKey } from '../../client/informer.js';
import { reconcileFailures } from '../../client/object-failures.js';
import { WorkQueue } from '../../client/work-queue.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { asPod } from '../objects/kinds.js';
import { labels } from '../objects/well-known.js';
import type { Controller, ControllerContext } from '../runtime/controller.js';
import { endpointSubsets } from './endpoint-subsets.js';
import { endpointLabels, podsResource, servicesResource, watchServicesAndPods } from './service-events.js';
import { hasManagedEndpoints, isHeadless, type Service } from './service-pods.js';

const endpointsResource = { group: '', resource: 'endpoints' };

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue((key) => this.reconcile(key), {
      name: 'endpoint',
      onError: reconcileFailures(ctx, 'endpoints controller', { group: '', resource: 'services' }),
    });
  }

  start(): void {
    this.ctx.informers.for(endpointsResource);
    watchServicesAndPods(this.ctx.informers, this.queue);
  }

  stop(): void {
    this.queue.stop();
  }

  async reconcile(key: string): Promise<undefined> {
    const { informers, registry } = this.ctx;
    const { namespace, name } = splitKey(key);
    const store = registry.for(endpointsResource);
    const service = informers.for(servicesResource).get(key) as Service | undefined;
    if (!service) {
      await ignoreNotFound(store.delete(namespace, name, { dryRun: false }));
      return undefined;
    }
    if (!hasManagedEndpoints(service)) return undefined;
    const pods = informers.for(podsResource).list(namespace).map(asPod);
    const subsets = endpointSubsets(service, pods);
    const wantLabels = endpointLabels(service, isHeadless(service) ? { [labels.headless]: '' } : {});
    const current = informers.for(endpointsResource).get(key);
    if (
      current &&
      isDeepStrictEqual(current.subsets ?? [], subsets) &&
      isDeepStrictEqual(current.metadata.labels ?? {}, wantLabels)
    ) {
      return undefined;
    }
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...current?.metadata, name, namespace, labels: wantLabels },
      subsets,
    };
    if (current) await store.update(namespace, name, body);
    else await store.create(namespace, body);
    return undefined;
  }
}
