// The site inventory (Site objects, flotilla.io/v1alpha1): which gateways make up a site, where
// the site sits (region, zone), the plant networks its gateways share, the address pools its
// LoadBalancer Services draw from, and which gateways are powered off or decommissioned. Pure
// helpers on IPv4 ranges live here too: the hub validates and allocates with them, and the
// agents need the same reading of an address.
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

/** An inclusive range of IPv4 addresses as 32-bit numbers. */
export interface Ipv4Range {
  first: number;
  last: number;
}

export function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** `a.b.c.d/n` as a range (network to broadcast address); undefined when malformed. */
export function cidrRange(cidr: string): Ipv4Range | undefined {
  const [ip, bits, ...rest] = cidr.split('/');
  if (ip === undefined || bits === undefined || rest.length > 0 || !/^[0-9]{1,2}$/.test(bits))
    return undefined;
  const base = ipv4ToNumber(ip);
  const prefix = Number(bits);
  if (base === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = base - (base % size);
  return { first, last: first + size - 1 };
}

/** A pool entry (CIDR, `first-last` range or one address) as a range; undefined when malformed. */
export function poolEntryRange(entry: string): Ipv4Range | undefined {
  if (entry.includes('/')) return cidrRange(entry);
  const [from, to, ...rest] = entry.split('-').map((part) => part.trim());
  if (rest.length > 0 || from === undefined) return undefined;
  const first = ipv4ToNumber(from);
  const last = to === undefined ? first : ipv4ToNumber(to);
  if (first === undefined || last === undefined || last < first) return undefined;
  return { first, last };
}

export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function rangeContains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

export function inCidr(ip: string, cidr: string): boolean {
  const value = ipv4ToNumber(ip);
  const range = cidrRange(cidr);
  return value !== undefined && range !== undefined && value >= range.first && value <= range.last;
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
