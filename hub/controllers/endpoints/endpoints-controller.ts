// The Endpoints controller: keeps the core/v1 Endpoints object of every Service with a
// selector equal to the pods it selects (addresses ready or not), and removes it with the
// Service. Selector-less and ExternalName Services keep whatever Endpoints their users write.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import { splitKey } from '../../client/informer.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { asPod } from '../objects/kinds.js';
import { labels } from '../objects/well-known.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import { endpointSubsets } from './endpoint-subsets.js';
import { endpointLabels, podsResource, serviceAndPodWatches, servicesResource } from './service-events.js';
import { hasManagedEndpoints, isHeadless, type Service } from './service-pods.js';

const endpointsResource = { group: '', resource: 'endpoints' };

export class EndpointsController extends ReconcilingController {
  constructor(ctx: ControllerContext) {
    super(ctx, {
      name: 'endpoints',
      queue: 'endpoint',
      failures: { component: 'endpoints controller', resource: servicesResource },
    });
  }

  protected watches(): Watch[] {
    return [{ resource: endpointsResource, on: [] }, ...serviceAndPodWatches(this.ctx.informers)];
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
