// The EndpointSlice controller: for every Service with a selector, IPv4 EndpointSlices
// labelled kubernetes.io/service-name and managed-by this controller, owned by the Service,
// holding its pods with ready/serving/terminating conditions. Slices of Services that lose
// their selector, become ExternalName or go away are removed.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import { splitKey } from '../../client/informer.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { isControlledBy, newControllerRef } from '../objects/controller-ref.js';
import { asNode, asPod, type Node } from '../objects/kinds.js';
import { endpointSliceControllerName, labels } from '../objects/well-known.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import {
  defaultMaxEndpointsPerSlice,
  desiredSlices,
  planSlices,
  type SliceContent,
} from './endpoint-slices.js';
import { endpointLabels, podsResource, serviceAndPodWatches, servicesResource } from './service-events.js';
import { hasManagedEndpoints, isHeadless, type Service } from './service-pods.js';

export interface EndpointSliceControllerOptions {
  /** kube-controller-manager's --max-endpoints-per-slice. */
  maxEndpointsPerSlice?: number;
}

const slicesResource = { group: 'discovery.k8s.io', resource: 'endpointslices' };

export class EndpointSliceController extends ReconcilingController {
  private readonly maxPerSlice: number;

  constructor(ctx: ControllerContext, options: EndpointSliceControllerOptions = {}) {
    super(ctx, {
      name: 'endpointslice',
      queue: 'endpoint_slice',
      failures: { component: 'endpointslice controller', resource: servicesResource },
    });
    this.maxPerSlice = options.maxEndpointsPerSlice ?? defaultMaxEndpointsPerSlice;
  }

  protected watches(): Watch[] {
    return [
      { resource: slicesResource, on: [] },
      { resource: { group: '', resource: 'nodes' }, on: [] },
      ...serviceAndPodWatches(this.ctx.informers),
    ];
  }

  async reconcile(key: string): Promise<undefined> {
    const { informers, registry } = this.ctx;
    const { namespace, name } = splitKey(key);
    const store = registry.for(slicesResource);
    const service = informers.for(servicesResource).get(key) as Service | undefined;
    const ours = informers
      .for(slicesResource)
      .list(namespace)
      .filter(
        (s) =>
          s.metadata.labels?.[labels.serviceName] === name &&
          s.metadata.labels?.[labels.managedBy] === endpointSliceControllerName,
      );
    const usable =
      service && hasManagedEndpoints(service) ? ours.filter((s) => isControlledBy(s, service)) : [];
    const remove = ours.filter((s) => !usable.includes(s)).map((s) => s.metadata.name!);
    if (service && hasManagedEndpoints(service)) {
      const nodes = new Map<string, Node>(
        informers
          .for({ group: '', resource: 'nodes' })
          .list()
          .map((n) => [n.metadata.name!, asNode(n)]),
      );
      const pods = informers.for(podsResource).list(namespace).map(asPod);
      const plan = planSlices(desiredSlices(service, pods, nodes, this.maxPerSlice), usable);
      const wantLabels = endpointLabels(service, {
        [labels.serviceName]: name,
        [labels.managedBy]: endpointSliceControllerName,
        ...(isHeadless(service) ? { [labels.headless]: '' } : {}),
      });
      for (const content of plan.create) {
        await store.create(namespace, sliceBody(service, content, wantLabels));
      }
      const rewritten = new Set(plan.update.map((u) => u.slice));
      for (const { slice, content } of plan.update) {
        await store.update(namespace, slice.metadata.name!, {
          ...slice,
          ...content,
          metadata: { ...slice.metadata, labels: wantLabels },
        });
      }
      for (const slice of usable.filter(
        (s) => !rewritten.has(s) && !plan.delete.includes(s.metadata.name!),
      )) {
        if (isDeepStrictEqual(slice.metadata.labels, wantLabels)) continue;
        await store.update(namespace, slice.metadata.name!, {
          ...slice,
          metadata: { ...slice.metadata, labels: wantLabels },
        });
      }
      remove.push(...plan.delete);
    }
    for (const slice of remove) await ignoreNotFound(store.delete(namespace, slice, { dryRun: false }));
    return undefined;
  }
}

function sliceBody(service: Service, content: SliceContent, sliceLabels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${service.metadata.name}-`,
      namespace: service.metadata.namespace,
      labels: sliceLabels,
      ownerReferences: [newControllerRef(service)],
    },
    addressType: 'IPv4',
    ...content,
  };
}
