// Wiring shared by the Endpoints and EndpointSlice controllers: a Service's key is queued when
// the Service changes and when a pod it selects (before or after the change) does.
import type { KubeObject } from '../../../api/types.js';
import { objectKey } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { WorkQueue } from '../../client/work-queue.js';
import { type Service, selectsPod } from './service-pods.js';

export const servicesResource = { group: '', resource: 'services' };
export const podsResource = { group: '', resource: 'pods' };

export function watchServicesAndPods(informers: SharedInformers, queue: WorkQueue): void {
  const services = informers.for(servicesResource);
  const enqueue = (svc: KubeObject) => queue.add(objectKey(svc));
  services.addHandler({ add: enqueue, update: enqueue, delete: enqueue });
  const enqueueSelecting = (...pods: KubeObject[]) => {
    for (const svc of services.list(pods[0]?.metadata.namespace)) {
      if (pods.some((pod) => selectsPod(svc as Service, pod))) enqueue(svc);
    }
  };
  informers.for(podsResource).addHandler({
    add: (pod) => enqueueSelecting(pod),
    update: (pod, old) => enqueueSelecting(pod, old),
    delete: (pod) => enqueueSelecting(pod),
  });
}

/** The labels a Service's endpoint objects carry: the Service's own plus the extras given. */
export function endpointLabels(service: Service, extra: Record<string, string>): Record<string, string> {
  return { ...service.metadata.labels, ...extra };
}
