// What a LoadBalancer Service gets from the site inventory (pure). Two modes:
// - the Service's site has address pools: one pool address (pool-allocation.ts), announced on the
//   plant network by one of the site's gateways (the agents elect it among the gateways listed in
//   the announcers annotation: edge-agent/l2-announce/);
// - no pool (or no Site at all): the InternalIPs of the site's gateways that run a ready endpoint,
//   as k3s' ServiceLB does, so a LoadBalancer Service always becomes reachable.
// The site of a Service: the flotilla.io/site annotation, else the site whose pool holds the
// requested address, else the one site whose gateways run its ready endpoints, else the only site.
import { type Site, sitesOf } from '../../api/site-inventory.js';
import type { KubeObject } from '../../api/types.js';
import { type EnsuredLoadBalancer, LoadBalancerPending } from './cloud-provider.js';
import { chooseAddress } from './pool-allocation.js';

export const lbAnnotations = {
  /** Set by the user: the site whose pools the Service's address comes from. */
  site: 'flotilla.io/site',
  /** Set by the user: the pool to draw from. */
  pool: 'flotilla.io/address-pool',
  /** Set by the user: the address wanted (spec.loadBalancerIP, deprecated upstream, works too). */
  requestedIPs: 'flotilla.io/load-balancer-ips',
  /** Set by the hub: the gateways that may announce the address, comma-separated, sorted. */
  announcers: 'flotilla.io/announcers',
} as const;

export interface LoadBalancerInput {
  service: KubeObject;
  sites: readonly Site[];
  /** Nodes that may carry load-balancer traffic (Ready or not: liveness is the site's to judge). */
  nodes: readonly KubeObject[];
  /** Nodes that run a ready endpoint of the Service. */
  endpointNodes: ReadonlySet<string>;
  /** Addresses other Services hold. */
  taken: ReadonlySet<string>;
}

interface ServiceView {
  spec?: { loadBalancerIP?: string };
  status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
}

export function requestedAddress(service: KubeObject): string | undefined {
  const annotated = service.metadata.annotations?.[lbAnnotations.requestedIPs]?.split(',')[0]?.trim();
  return annotated || (service as ServiceView).spec?.loadBalancerIP || undefined;
}

export function heldAddresses(service: KubeObject): string[] {
  const ingress = (service as ServiceView).status?.loadBalancer?.ingress ?? [];
  return ingress.map((entry) => entry.ip).filter((ip): ip is string => typeof ip === 'string' && ip !== '');
}

function gatewaysOf(site: Site | undefined, nodes: readonly KubeObject[]): KubeObject[] {
  if (!site) return [...nodes];
  return nodes.filter((node) => sitesOf([site], node.metadata.name!, node.metadata.labels).length > 0);
}

function internalIP(node: KubeObject): string | undefined {
  const addresses = (node.status as { addresses?: { type?: string; address?: string }[] } | undefined)
    ?.addresses;
  return addresses?.find((a) => a.type === 'InternalIP' && a.address?.includes('.'))?.address;
}

function siteOf(input: LoadBalancerInput): Site | undefined {
  const { service, sites } = input;
  const named = service.metadata.annotations?.[lbAnnotations.site];
  if (named) {
    const site = sites.find((s) => s.metadata.name === named);
    if (!site)
      throw new LoadBalancerPending('NoSuchSite', `no Site ${named} (annotation ${lbAnnotations.site})`);
    return site;
  }
  const requested = requestedAddress(service);
  if (requested) {
    const holder = sites.find((s) => !('reason' in chooseAddress(s, new Set(), { requested })));
    if (holder) return holder;
  }
  const withEndpoints = sites.filter((site) =>
    gatewaysOf(site, input.nodes).some((node) => input.endpointNodes.has(node.metadata.name!)),
  );
  if (withEndpoints.length === 1) return withEndpoints[0];
  if (sites.length === 1) return sites[0];
  if (sites.length === 0) return undefined;
  throw new LoadBalancerPending(
    'AmbiguousSite',
    `the Service's endpoints run in ${withEndpoints.length === 0 ? 'no' : 'several'} sites; name one in the annotation ${lbAnnotations.site}`,
  );
}

/** The balancer a Service gets; throws LoadBalancerPending when it cannot have one now. */
export function planLoadBalancer(input: LoadBalancerInput): EnsuredLoadBalancer {
  const site = siteOf(input);
  const gateways = gatewaysOf(site, input.nodes);
  const siteName = site?.metadata.name;
  if (site && (site.spec?.addressPools ?? []).length > 0) {
    const choice = chooseAddress(site, input.taken, {
      current: heldAddresses(input.service)[0],
      requested: requestedAddress(input.service),
      pool: input.service.metadata.annotations?.[lbAnnotations.pool],
    });
    if ('reason' in choice) throw new LoadBalancerPending(choice.reason, choice.message);
    const announcers = gateways.map((node) => node.metadata.name!).sort();
    return {
      status: { ingress: [{ ip: choice.address, ipMode: 'VIP' }] },
      annotations: { [lbAnnotations.announcers]: announcers.join(',') },
      message: `address ${choice.address} from pool ${choice.pool} of site ${siteName}, announced by one of ${announcers.length} gateway(s)`,
    };
  }
  const addresses = gateways
    .filter((node) => input.endpointNodes.has(node.metadata.name!))
    .map(internalIP)
    .filter((ip): ip is string => ip !== undefined)
    .sort();
  if (addresses.length === 0)
    throw new LoadBalancerPending(
      'NoReadyEndpoints',
      `no address pool${siteName ? ` in site ${siteName}` : ''} and no gateway with a ready endpoint to use the address of`,
    );
  return {
    status: { ingress: addresses.map((ip) => ({ ip, ipMode: 'VIP' as const })) },
    annotations: {},
    message: `no address pool${siteName ? ` in site ${siteName}` : ''}: the addresses of the gateways with ready endpoints (${addresses.join(', ')})`,
  };
}
