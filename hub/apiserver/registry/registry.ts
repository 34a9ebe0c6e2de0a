import { type Logger, silentLogger } from '../../../api/logger.js';
// One ResourceStore per served resource, wired with its kind's hooks. The API server's
// handlers and the in-process controllers both go through it, so every write gets the same
// defaulting, validation and admission.

import type { Clock } from '../../../api/clock.js';
import { ApiError, forbiddenRequest, type GroupResource, notFound } from '../../../api/errors.js';
import { type ResourceInfo, storageName } from '../../../api/resources.js';
import { siteGroup } from '../../../api/site-inventory.js';
import type { AdmissionOptions, KindDefinition } from '../../kinds/kind-definition.js';
import { KindRegistry } from '../../kinds/kind-registry.js';
import type { Store } from '../../store/store.js';
import { CustomResourceServing } from './custom-resource-serving.js';
import { IpAllocator } from './ip-allocator.js';
import { PortAllocator } from './port-allocator.js';
import { ResourceStore } from './resource-store.js';
import { ServiceAllocations } from './service-allocations.js';
import { SiteIndex } from './site-index.js';

export interface RegistryOptions {
  serviceCIDR: string;
  nodePortRange: string;
  /** Admission plugins to run; the hub turns the ServiceAccount plugin on, bare registries in tests need not. */
  admission?: AdmissionOptions;
  /** Where stored objects that cannot be served are said (default: nowhere). */
  log?: Logger;
}

export const defaultRegistryOptions: RegistryOptions = {
  serviceCIDR: '10.43.0.0/16',
  nodePortRange: '30000-32767',
};

const siteStorage = storageName({ group: siteGroup, resource: 'sites' });

export class Registry {
  /** By storage name (`group/resource`): what controllers reach with registry.for(). */
  private readonly byKey = new Map<string, ResourceStore>();
  /** By `group/version/resource`: a resource served in several versions has one store each. */
  private readonly byVersion = new Map<string, ResourceStore>();
  readonly allocations: ServiceAllocations;
  /** The stored Sites, for the checks across them (overlapping pools, a gateway in two sites). */
  readonly sites = new SiteIndex();
  /** The kinds served: built-in ones and those CustomResourceDefinitions add. */
  readonly kinds = new KindRegistry();
  /** Keeps `kinds` in step with the stored CustomResourceDefinitions (ends with the store). */
  readonly customResources: CustomResourceServing;

  private readonly admission: AdmissionOptions;

  private constructor(
    readonly store: Store,
    private readonly clock: Clock,
    options: RegistryOptions,
  ) {
    this.admission = options.admission ?? {};
    this.allocations = new ServiceAllocations(
      new IpAllocator(options.serviceCIDR),
      new PortAllocator(options.nodePortRange),
    );
    this.customResources = new CustomResourceServing(this.kinds, store, options.log);
    for (const kind of this.kinds.all()) this.serve(kind);
    this.kinds.onChange((change) => {
      if (change.type === 'added') this.serve(change.kind);
      else this.unserve(change.kind);
    });
  }

  private serve(kind: KindDefinition): void {
    const hooks =
      kind.hooks?.({
        allocations: this.allocations,
        sites: this.sites,
        store: this.store,
        admission: this.admission,
      }) ?? {};
    const store = new ResourceStore(kind, this.store, this.clock, hooks, this.namespaceGate);
    this.byVersion.set(versionKey(kind.info), store);
    if (!this.byKey.has(storageName(kind.info))) this.byKey.set(storageName(kind.info), store);
  }

  private unserve(kind: KindDefinition): void {
    this.byVersion.delete(versionKey(kind.info));
    const name = storageName(kind.info);
    if (this.byKey.get(name)?.info.version !== kind.info.version) return;
    this.byKey.delete(name);
    const other = [...this.byVersion.values()].find((s) => storageName(s.info) === name);
    if (other) this.byKey.set(name, other);
  }

  /** Builds the registry and restores allocator state from what is stored. */
  static async open(
    store: Store,
    clock: Clock,
    options: RegistryOptions = defaultRegistryOptions,
  ): Promise<Registry> {
    const registry = new Registry(store, clock, options);
    const services = await store.list('services');
    registry.allocations.restore(services.items, options.log ?? silentLogger);
    registry.sites.restore((await store.list(siteStorage)).items);
    // Custom resources are served from the start, before any request can ask for them.
    await registry.customResources.start();
    return registry;
  }

  for(info: Pick<ResourceInfo, 'group' | 'resource'>): ResourceStore {
    const found = this.byKey.get(storageName(info));
    if (!found) throw new Error(`no storage for ${storageName(info)}`);
    return found;
  }

  lookup(group: string, version: string, resource: string): ResourceStore | undefined {
    return this.byVersion.get(versionKey({ group, version, resource }));
  }

  /** One store per served resource (whatever the number of its versions). */
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

function versionKey(info: Pick<ResourceInfo, 'group' | 'version' | 'resource'>): string {
  return `${info.group}/${info.version}/${info.resource}`;
}
