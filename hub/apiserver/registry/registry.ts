// One ResourceStore per served resource, wired with its kind's hooks. The API server's
// handlers and the in-process controllers both go through it, so every write gets the same
// defaulting, validation and admission.

import type { Clock } from '../../../api/clock.js';
import { ApiError, forbiddenRequest, type GroupResource, notFound } from '../../../api/errors.js';
import { type ResourceInfo, storageName } from '../../../api/resources.js';
import { builtinKinds, kindForResource } from '../../kinds/builtin-kinds.js';
import type { Store } from '../../store/store.js';
import { IpAllocator } from './ip-allocator.js';
import { PortAllocator } from './port-allocator.js';
import { ResourceStore } from './resource-store.js';
import { ServiceAllocations } from './service-allocations.js';

export interface RegistryOptions {
  serviceCIDR: string;
  nodePortRange: string;
}

export const defaultRegistryOptions: RegistryOptions = {
  serviceCIDR: '10.43.0.0/16',
  nodePortRange: '30000-32767',
};

export class Registry {
  private readonly byKey = new Map<string, ResourceStore>();
  readonly allocations: ServiceAllocations;

  private constructor(
    readonly store: Store,
    clock: Clock,
    options: RegistryOptions,
  ) {
    this.allocations = new ServiceAllocations(
      new IpAllocator(options.serviceCIDR),
      new PortAllocator(options.nodePortRange),
    );
    const shared = { allocations: this.allocations };
    for (const kind of builtinKinds) {
      const hooks = kind.hooks?.(shared) ?? {};
      this.byKey.set(
        storageName(kind.info),
        new ResourceStore(kind, store, clock, hooks, this.namespaceGate),
      );
    }
  }

  /** Builds the registry and restores allocator state from what is stored. */
  static async open(
    store: Store,
    clock: Clock,
    options: RegistryOptions = defaultRegistryOptions,
  ): Promise<Registry> {
    const registry = new Registry(store, clock, options);
    const services = await store.list('services');
    registry.allocations.restore(services.items);
    return registry;
  }

  for(info: Pick<ResourceInfo, 'group' | 'resource'>): ResourceStore {
    const found = this.byKey.get(storageName(info));
    if (!found) throw new Error(`no storage for ${storageName(info)}`);
    return found;
  }

  lookup(group: string, version: string, resource: string): ResourceStore | undefined {
    const kind = kindForResource(group, version, resource);
    return kind ? this.byKey.get(storageName(kind.info)) : undefined;
  }

  all(): ResourceStore[] {
    return [...this.byKey.values()];
  }

  private readonly namespaceGate = async (
    namespace: string,
    gr: GroupResource,
    name: string,
  ): Promise<void> => {
    const ns = await this.store.get('namespaces', { name: namespace });
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    if (ns.metadata.deletionTimestamp) {
      const what = gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
      const err = forbiddenRequest(
        `${what} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
      throw new ApiError('Forbidden', err.message, {
        name,
        group: gr.group,
        kind: gr.resource,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      });
    }
  };
}
