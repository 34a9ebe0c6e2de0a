// Wiring shared by the Endpoints and EndpointSlice controllers: a Service's key is queued when
// the Service changes and when a pod it selects (before or after the change) does.
import type { KubeObject } from '../../../api/types.js';
import { objectKey } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { Watch } from '../runtime/reconciling-controller.js';
import { type Service, selectsPod } from './service-pods.js';

export const servicesResource = { group: '', resource: 'services' };
export const podsResource = { group: '', resource: 'pods' };

export function serviceAndPodWatches(informers: SharedInformers): Watch[] {
  const services = informers.for(servicesResource);
  const selecting = (...pods: KubeObject[]) =>
    services
      .list(pods[0]?.metadata.namespace)
      .filter((svc) => pods.some((pod) => selectsPod(svc as Service, pod)))
      .map(objectKey);
  return [
    { resource: servicesResource },
    { resource: podsResource, keys: (pod, old) => (old ? selecting(pod, old) : selecting(pod)) },
  ];
}

/** The labels a Service's endpoint objects carry: the Service's own plus the extras given. */
export function endpointLabels(service: Service, extra: Record<string, string>): Record<string, string> {
  return { ...service.metadata.labels, ...extra };
}
