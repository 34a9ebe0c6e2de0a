// Choosing a LoadBalancer address from a site's pools (pure). The allocation lives in the Services
// themselves (status.loadBalancer.ingress): the addresses taken are those the other Services hold,
// so nothing is kept beside the store and a hub restart loses nothing. A Service keeps the address
// it holds while that is still in a pool; a requested address must be in a pool and free; else the
// lowest free address of the first pool (or of the pool the Service names) is taken, never a
// site network's own network or broadcast address.
import { formatIPv4, ipv4InRange, parseIPv4, parseIPv4Cidr } from '../../api/ipv4.js';
import { poolEntryRange, type Site } from '../../api/site-inventory.js';

export type PoolChoice =
  | { address: string; pool: string }
  | { reason: 'AddressNotInPool' | 'AddressInUse' | 'PoolExhausted' | 'NoSuchPool'; message: string };

export interface AddressRequest {
  /** The address the Service holds now (status), if any. */
  current?: string | undefined;
  /** spec.loadBalancerIP or the flotilla.io/load-balancer-ips annotation. */
  requested?: string | undefined;
  /** The flotilla.io/address-pool annotation. */
  pool?: string | undefined;
}

function poolOf(site: Site, address: string): string | undefined {
  const value = parseIPv4(address);
  if (value === undefined) return undefined;
  for (const pool of site.spec?.addressPools ?? []) {
    for (const entry of pool.addresses ?? []) {
      const range = poolEntryRange(entry);
      if (range && ipv4InRange(value, range)) return pool.name;
    }
  }
  return undefined;
}

/** Network and broadcast addresses of the site's networks: never handed out. */
function reservedAddresses(site: Site): Set<number> {
  const reserved = new Set<number>();
  for (const network of site.spec?.networks ?? []) {
    const range = parseIPv4Cidr(network);
    if (range && range.last - range.first >= 3) reserved.add(range.first).add(range.last);
  }
  return reserved;
}

export function chooseAddress(site: Site, taken: ReadonlySet<string>, request: AddressRequest): PoolChoice {
  const siteName = site.metadata.name;
  if (request.requested) {
    const pool = poolOf(site, request.requested);
    if (!pool)
      return {
        reason: 'AddressNotInPool',
        message: `requested address ${request.requested} is in no address pool of site ${siteName}`,
      };
    if (taken.has(request.requested) && request.current !== request.requested)
      return {
        reason: 'AddressInUse',
        message: `requested address ${request.requested} is held by another Service`,
      };
    return { address: request.requested, pool };
  }
  const pools = (site.spec?.addressPools ?? []).filter((p) => !request.pool || p.name === request.pool);
  if (request.pool && pools.length === 0)
    return { reason: 'NoSuchPool', message: `site ${siteName} has no address pool ${request.pool}` };
  if (request.current) {
    const pool = poolOf(site, request.current);
    if (pool && pools.some((p) => p.name === pool)) return { address: request.current, pool };
  }
  const reserved = reservedAddresses(site);
  for (const pool of pools) {
    for (const entry of pool.addresses ?? []) {
      const range = poolEntryRange(entry);
      if (!range) continue;
      for (let value = range.first; value <= range.last; value++) {
        if (reserved.has(value)) continue;
        const address = formatIPv4(value);
        if (!taken.has(address)) return { address, pool: pool.name };
      }
    }
  }
  const names = pools.map((p) => p.name).join(', ');
  return {
    reason: 'PoolExhausted',
    message: `no free address in pool(s) ${names} of site ${siteName}`,
  };
}
