// flotilla.io/v1alpha1 Site rules that one object can be checked against on its own: field
// types, CIDRs and ranges that parse, pools inside the site's networks and not overlapping each
// other, a gateway listed once. Checks against the other Sites (a pool overlapping another
// site's, a gateway in two sites) are the hub's (site-hooks.ts): they need the stored objects.
import { duplicate, type FieldError, invalidValue, required } from '../errors.js';
import { type Ipv4Range, parseIPv4Cidr, rangeContains, rangesOverlap } from '../ipv4.js';
import { poolEntryRange } from '../site-inventory.js';
import type { KubeObject } from '../types.js';
import { readRecord, readRecords, readString, readStrings } from './field-readers.js';
import { validateLabelSelector } from './label-selector.js';
import { validateLabels, validateLabelValue } from './labels.js';
import { isDNS1123Label, isDNS1123Subdomain } from './name-formats.js';

export function validateSite(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  for (const key of ['region', 'zone'] as const) {
    const value = readString(errs, spec[key], `spec.${key}`);
    if (value) errs.push(...validateLabelValue(value, `spec.${key}`));
  }
  const networks: Ipv4Range[] = [];
  readStrings(errs, spec.networks, 'spec.networks').forEach((cidr, i) => {
    const range = parseIPv4Cidr(cidr);
    if (range) networks.push(range);
    else errs.push(invalidValue(`spec.networks[${i}]`, cidr, 'must be an IPv4 CIDR (e.g. 172.30.5.0/24)'));
  });
  errs.push(...validateLabels(spec.labels, 'spec.labels'));
  checkGatewayNames(errs, spec);
  checkPools(errs, spec.addressPools, networks);
  return errs;
}

function checkGatewayNames(errs: FieldError[], spec: Record<string, unknown>): void {
  const gateways = readRecord(errs, spec.gateways, 'spec.gateways');
  if (gateways?.selector !== undefined)
    errs.push(...validateLabelSelector(gateways.selector, 'spec.gateways.selector'));
  const seen = new Set<string>();
  const lists: [unknown, string][] = [
    [gateways?.names, 'spec.gateways.names'],
    [spec.decommissioned, 'spec.decommissioned'],
    [spec.poweredOff, 'spec.poweredOff'],
  ];
  for (const [value, path] of lists) {
    readStrings(errs, value, path).forEach((name, i) => {
      const at = `${path}[${i}]`;
      for (const problem of isDNS1123Subdomain(name)) errs.push(invalidValue(at, name, problem));
      // decommissioned and poweredOff may name a gateway of names; the same list may not repeat one.
      const key = `${path}\u0000${name}`;
      if (seen.has(key)) errs.push(duplicate(at, name));
      seen.add(key);
    });
  }
  const decommissioned = readStrings([], spec.decommissioned, '');
  readStrings([], spec.poweredOff, '').forEach((name, i) => {
    if (decommissioned.includes(name))
      errs.push(invalidValue(`spec.poweredOff[${i}]`, name, 'is also listed in spec.decommissioned'));
  });
}

function checkPools(errs: FieldError[], value: unknown, networks: Ipv4Range[]): void {
  const names = new Set<string>();
  const taken: { range: Ipv4Range; at: string }[] = [];
  for (const [pool, at] of readRecords(errs, value, 'spec.addressPools')) {
    const name = readString(errs, pool.name, `${at}.name`);
    if (!name) errs.push(required(`${at}.name`));
    else if (isDNS1123Label(name).length > 0)
      errs.push(invalidValue(`${at}.name`, name, isDNS1123Label(name).join('; ')));
    else if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
    if (name) names.add(name);
    const entries = readStrings(errs, pool.addresses, `${at}.addresses`);
    if (entries.length === 0) errs.push(required(`${at}.addresses`));
    entries.forEach((entry, i) => {
      const path = `${at}.addresses[${i}]`;
      const range = poolEntryRange(entry);
      if (!range) {
        errs.push(invalidValue(path, entry, 'must be an IPv4 CIDR, an address, or a range first-last'));
        return;
      }
      if (!networks.some((network) => rangeContains(network, range)))
        errs.push(invalidValue(path, entry, 'must be inside one of spec.networks'));
      const clash = taken.find((other) => rangesOverlap(other.range, range));
      if (clash) errs.push(invalidValue(path, entry, `overlaps ${clash.at}`));
      taken.push({ range, at: path });
    });
  }
}
