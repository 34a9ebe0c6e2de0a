// The stored Sites, in memory, for the checks one Site cannot make alone: its pools must not
// overlap another site's, and a gateway it names must not be named by another site. Rebuilt
// from the store at start-up; a Site is entered when its write is admitted and taken back if the
// write fails (as ServiceAllocations does for ClusterIPs), so two writes racing cannot both pass.
// A gateway two sites' label selectors both match cannot be refused here (it depends on the
// node's labels, not on the Sites): the cloud node controller reports it on the Node instead.
import { type FieldError, invalidValue } from '../../../api/errors.js';
import { rangesOverlap } from '../../../api/ipv4.js';
import { poolRanges, type Site } from '../../../api/site-inventory.js';
import type { KubeObject } from '../../../api/types.js';
import type { Allocation } from './service-allocations.js';

function namedGateways(site: Site): { name: string; path: string }[] {
  const spec = site.spec ?? {};
  const lists: [string[] | undefined, string][] = [
    [spec.gateways?.names, 'spec.gateways.names'],
    [spec.decommissioned, 'spec.decommissioned'],
    [spec.poweredOff, 'spec.poweredOff'],
  ];
  return lists.flatMap(([names, path]) =>
    Array.isArray(names) ? names.map((name, i) => ({ name, path: `${path}[${i}]` })) : [],
  );
}

export class SiteIndex {
  private readonly sites = new Map<string, Site>();

  restore(sites: KubeObject[]): void {
    for (const site of sites) this.sites.set(site.metadata.name!, site as Site);
  }

  /** The conflicts of `site` with the other sites (by name), in field-error form. */
  conflicts(site: Site): FieldError[] {
    const errs: FieldError[] = [];
    const others = [...this.sites.entries()].filter(([name]) => name !== site.metadata.name);
    const pools = poolRanges(site.spec);
    (site.spec?.addressPools ?? []).forEach((pool, p) => {
      (pool.addresses ?? []).forEach((entry, i) => {
        const mine = pools.find((r) => r.pool === pool.name && r.entry === entry);
        if (!mine) return;
        for (const [name, other] of others) {
          const clash = poolRanges(other.spec).find((r) => rangesOverlap(r.range, mine.range));
          if (clash)
            errs.push(
              invalidValue(
                `spec.addressPools[${p}].addresses[${i}]`,
                entry,
                `overlaps ${clash.entry} of pool ${clash.pool} of site ${name}`,
              ),
            );
        }
      });
    });
    for (const { name, path } of namedGateways(site)) {
      const owner = others.find(([, other]) => namedGateways(other).some((g) => g.name === name));
      if (owner) errs.push(invalidValue(path, name, `gateway is already in site ${owner[0]}`));
    }
    return errs;
  }

  /** Checks `site` against the others and, when it passes, holds its place until rolled back. */
  admit(obj: KubeObject): Allocation {
    const site = obj as Site;
    const errors = this.conflicts(site);
    if (errors.length > 0) return { errors, rollback: () => {} };
    const name = site.metadata.name!;
    const before = this.sites.get(name);
    this.sites.set(name, site);
    return {
      errors,
      rollback: () => {
        if (this.sites.get(name) !== site) return;
        if (before) this.sites.set(name, before);
        else this.sites.delete(name);
      },
    };
  }

  forget(obj: KubeObject): void {
    this.sites.delete(obj.metadata.name!);
  }
}
