// The built-in `site` cloud provider: the site inventory (Site objects) as the infrastructure.
// Instances: a gateway the inventory lists as decommissioned does not exist any more; one listed
// as powered off is shut down; a gateway in exactly one site gets that site's metadata. A gateway
// the inventory does not mention (or that two sites' selectors both match) exists, is not shut
// down and has no metadata: the provider never deletes what it does not know.
// Load balancers: load-balancer-plan.ts, over the Services, EndpointSlices and Sites it reads.
import { type Site, siteGroup, sitesOf } from '../../api/site-inventory.js';
import type { KubeObject } from '../../api/types.js';
import type { SharedInformers } from '../client/shared-informers.js';
import type {
  CloudProvider,
  EnsuredLoadBalancer,
  InstanceMetadata,
  Instances,
  LoadBalancer,
  LoadBalancerStatus,
} from './cloud-provider.js';
import { heldAddresses, planLoadBalancer } from './load-balancer-plan.js';
import { siteInstanceMetadata } from './node-metadata.js';

export const siteResource = { group: siteGroup, resource: 'sites' };
const services = { group: '', resource: 'services' };
const slices = { group: 'discovery.k8s.io', resource: 'endpointslices' };
const serviceIndex = 'site-provider/service';

/** The loadBalancerClass the site provider answers to, besides Services with none. */
export const siteLoadBalancerClass = 'flotilla.io/site';

interface SliceView {
  metadata: KubeObject['metadata'];
  endpoints?: { nodeName?: string; conditions?: { ready?: boolean } }[];
}

export class SiteProvider implements CloudProvider, Instances, LoadBalancer {
  readonly name = 'site';
  readonly loadBalancerClass = siteLoadBalancerClass;

  /**
   * Addresses this hub gave Services, by Service uid, until the informer shows them: two
   * Services ensured one after the other must not both get the first free address.
   */
  private readonly given = new Map<string, string[]>();

  constructor(private readonly informers: SharedInformers) {
    informers.for(slices).addIndex(serviceIndex, (slice) => {
      const service = slice.metadata.labels?.['kubernetes.io/service-name'];
      return service ? `${slice.metadata.namespace}/${service}` : undefined;
    });
  }

  /** Records what a Service was given (ensureLoadBalancer's result, once written). */
  remember(service: KubeObject, ips: string[]): void {
    if (ips.length > 0) this.given.set(service.metadata.uid!, ips);
    else this.given.delete(service.metadata.uid!);
  }

  instances(): Instances {
    return this;
  }

  loadBalancer(): LoadBalancer {
    return this;
  }

  sites(): Site[] {
    return this.informers.for(siteResource).list() as Site[];
  }

  /** The one site that claims the gateway; undefined for none, and for a conflict (see sitesClaiming). */
  siteOf(node: KubeObject): Site | undefined {
    const claiming = this.sitesClaiming(node);
    return claiming.length === 1 ? claiming[0] : undefined;
  }

  sitesClaiming(node: KubeObject): Site[] {
    return sitesOf(this.sites(), node.metadata.name!, node.metadata.labels);
  }

  async instanceExists(node: KubeObject): Promise<boolean> {
    return !this.siteOf(node)?.spec?.decommissioned?.includes(node.metadata.name!);
  }

  async instanceShutdown(node: KubeObject): Promise<boolean> {
    return this.siteOf(node)?.spec?.poweredOff?.includes(node.metadata.name!) ?? false;
  }

  async instanceMetadata(node: KubeObject): Promise<InstanceMetadata | undefined> {
    const site = this.siteOf(node);
    return site ? siteInstanceMetadata(site, node) : undefined;
  }

  getLoadBalancerName(service: KubeObject): string {
    return `${service.metadata.namespace}/${service.metadata.name}`;
  }

  async getLoadBalancer(service: KubeObject): Promise<{ status: LoadBalancerStatus; exists: boolean }> {
    const ips = heldAddresses(service);
    return { status: { ingress: ips.map((ip) => ({ ip })) }, exists: ips.length > 0 };
  }

  async ensureLoadBalancer(service: KubeObject, nodes: KubeObject[]): Promise<EnsuredLoadBalancer> {
    return planLoadBalancer({
      service,
      sites: this.sites(),
      nodes,
      endpointNodes: this.endpointNodes(service),
      taken: this.takenBesides(service),
    });
  }

  async updateLoadBalancer(): Promise<void> {
    // Nothing outside the Service to update: the announcers list travels with ensureLoadBalancer.
  }

  async ensureLoadBalancerDeleted(): Promise<void> {
    // The address lives in the Service's status only: it is free once the Service no longer holds it.
  }

  /** Nodes running a ready endpoint of the Service (from its EndpointSlices). */
  endpointNodes(service: KubeObject): Set<string> {
    const { namespace, name } = service.metadata;
    const found = new Set<string>();
    for (const slice of this.informers
      .for(slices)
      .byIndex(serviceIndex, `${namespace}/${name}`) as SliceView[]) {
      for (const endpoint of slice.endpoints ?? [])
        if (endpoint.nodeName && endpoint.conditions?.ready !== false) found.add(endpoint.nodeName);
    }
    return found;
  }

  private takenBesides(service: KubeObject): Set<string> {
    const taken = new Set<string>();
    const live = new Set<string>();
    for (const other of this.informers.for(services).list()) {
      live.add(other.metadata.uid!);
      if (other.metadata.uid === service.metadata.uid) continue;
      for (const ip of heldAddresses(other)) taken.add(ip);
    }
    for (const [uid, ips] of this.given) {
      if (!live.has(uid)) this.given.delete(uid);
      else if (uid !== service.metadata.uid) for (const ip of ips) taken.add(ip);
    }
    return taken;
  }
}
