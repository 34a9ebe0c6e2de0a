// Services: ClusterIP and NodePort allocation around the generic write pipeline.
import type { KindHooks } from './kind-hooks.js';
import type { ServiceAllocations } from './service-allocations.js';

export function serviceHooks(allocations: ServiceAllocations): KindHooks {
  return {
    admitCreate: (svc) => allocations.allocate(svc),
    admitUpdate: (svc, old) => allocations.allocate(svc, old),
    afterUpdate: (svc, old) => allocations.releaseUnused(svc, old),
    afterDelete: (svc) => allocations.release(svc),
  };
}
