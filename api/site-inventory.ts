// The site inventory (Site objects, flotilla.io/v1alpha1): which gateways make up a site, where
// the site sits (region, zone), the plant networks its gateways share, the address pools its
// LoadBalancer Services draw from, and which gateways are powered off or decommissioned. The
// address arithmetic is api/ipv4.ts.
import { type Ipv4Range, parseIPv4, parseIPv4Cidr } from './ipv4.js';
import { selectorMatches } from './validation/label-selector.js';

export const siteGroup = 'flotilla.io';
export const siteVersion = 'v1alpha1';
export const siteApiVersion = `${siteGroup}/${siteVersion}`;

export interface AddressPool {
  name: string;
  /** CIDRs (`172.30.5.240/29`) or inclusive ranges (`172.30.5.200-172.30.5.220`), IPv4. */
  addresses: string[];
}

export interface SiteSpec {
  region?: string;
  zone?: string;
  /** The plant networks (CIDRs) the site's gateways share at layer 2. */
  networks?: string[];
  gateways?: { names?: string[]; selector?: Record<string, unknown> };
  /** Labels every gateway of the site gets. */
  labels?: Record<string, string>;
  addressPools?: AddressPool[];
  /** Gateways taken out of service for good: their Nodes are deleted. */
  decommissioned?: string[];
  /** Gateways switched off on purpose: their Nodes get the shutdown taint. */
  poweredOff?: string[];
}

export interface Site {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; uid?: string; labels?: Record<string, string> };
  spec?: SiteSpec;
}

/** A pool entry (CIDR, `first-last` range or one address) as a range; undefined when malformed. */
export function poolEntryRange(entry: string): Ipv4Range | undefined {
  if (entry.includes('/')) {
    const cidr = parseIPv4Cidr(entry);
    return cidr && { first: cidr.first, last: cidr.last };
  }
  const [from, to, ...rest] = entry.split('-').map((part) => part.trim());
  if (rest.length > 0 || from === undefined) return undefined;
  const first = parseIPv4(from);
  const last = to === undefined ? first : parseIPv4(to);
  if (first === undefined || last === undefined || last < first) return undefined;
  return { first, last };
}

/** The ranges of a site's pools, each with where it was written (for messages). */
export function poolRanges(spec: SiteSpec | undefined): { pool: string; entry: string; range: Ipv4Range }[] {
  return (spec?.addressPools ?? []).flatMap((pool) =>
    (pool.addresses ?? []).flatMap((entry) => {
      const range = poolEntryRange(entry);
      return range ? [{ pool: pool.name, entry, range }] : [];
    }),
  );
}

/** Whether the site's inventory covers this gateway: named in it, or matched by its selector. */
export function siteHasGateway(
  site: Site,
  node: string,
  labels: Record<string, string> | undefined,
): boolean {
  const gateways = site.spec?.gateways;
  if (!gateways) return false;
  if (gateways.names?.includes(node)) return true;
  if (site.spec?.decommissioned?.includes(node) || site.spec?.poweredOff?.includes(node)) return true;
  return gateways.selector !== undefined && selectorMatches(gateways.selector, labels ?? {});
}

/** The sites that claim a gateway (more than one is a conflict the node controller reports). */
export function sitesOf(sites: readonly Site[], node: string, labels?: Record<string, string>): Site[] {
  return sites.filter((site) => siteHasGateway(site, node, labels));
}
