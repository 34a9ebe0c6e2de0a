// The record table of the service DNS, built from the Services and EndpointSlices of the desired
// state (pure). It holds the resource records of the Kubernetes DNS specification
// (github.com/kubernetes/dns docs/specification.md, schema 1.1.0) for the cluster domain:
//   §2.2  dns-version.<zone> TXT
//   §2.3  ClusterIP Service: <svc>.<ns>.svc.<zone> A/AAAA, SRV per named port, PTR per cluster IP
//   §2.4  headless Service: A/AAAA per ready endpoint, <hostname>.<svc>... A/AAAA, SRV per
//         (ready endpoint × named port), PTR per endpoint address
//   §2.5  ExternalName Service: CNAME
// Pod records (§2.6, a-b-c-d.<ns>.pod.<zone>) are synthesised at lookup time (dns-lookup.ts).
import { isIP } from 'node:net';
import type { KubeObject } from '../../api/types.js';
import { canonicalName, dashedAddress, namesBetween, reverseName } from './dns-names.js';

export const schemaVersion = '1.1.0';

export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export type DnsRecord =
  | { type: 'A' | 'AAAA' | 'CNAME'; data: string }
  | { type: 'SRV'; data: SrvData }
  | { type: 'TXT'; data: string };

export interface DnsRecords {
  /** The cluster domain, canonical (cluster.local). */
  zone: string;
  /** SOA serial: the desired state's revision, so it changes whenever the table may have. */
  serial: number;
  /** Owner name → its records. */
  names: ReadonlyMap<string, readonly DnsRecord[]>;
  /** Names that exist only because names below them do (svc.<zone>, <ns>.svc.<zone>, _tcp...). */
  parents: ReadonlySet<string>;
  /** in-addr.arpa / ip6.arpa name → the names it points back to. */
  reverse: ReadonlyMap<string, readonly string[]>;
}

interface ServicePort {
  name?: string;
  port?: number;
  protocol?: string;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  externalName?: string;
  ports?: ServicePort[];
  publishNotReadyAddresses?: boolean;
}

interface SliceEndpoint {
  addresses?: string[];
  conditions?: { ready?: boolean | null };
  hostname?: string;
}

/** The label that ties an EndpointSlice to its Service (discovery.k8s.io/v1). */
const serviceNameLabel = 'kubernetes.io/service-name';

function recordKey(record: DnsRecord): string {
  return record.type === 'SRV'
    ? `SRV ${record.data.port} ${record.data.target}`
    : `${record.type} ${record.data}`;
}

class TableBuilder {
  readonly names = new Map<string, DnsRecord[]>();
  readonly reverse = new Map<string, string[]>();
  /** Per owner, the records it has: an address in two slices is one record. */
  private readonly keys = new Map<string, Set<string>>();

  add(owner: string, record: DnsRecord): void {
    const key = recordKey(record);
    const keys = this.keys.get(owner);
    if (keys?.has(key)) return;
    if (keys) {
      keys.add(key);
      this.names.get(owner)!.push(record);
    } else {
      this.keys.set(owner, new Set([key]));
      this.names.set(owner, [record]);
    }
  }

  address(owner: string, address: string): void {
    const family = isIP(address);
    if (family !== 0) this.add(owner, { type: family === 4 ? 'A' : 'AAAA', data: address });
  }

  pointer(address: string, target: string): void {
    const name = reverseName(address);
    if (!name) return;
    const list = this.reverse.get(name) ?? [];
    if (!list.includes(target)) list.push(target);
    this.reverse.set(name, list);
  }
}

function srvOwner(port: ServicePort, serviceName: string): string | undefined {
  if (!port.name || !port.port) return undefined;
  return `_${port.name.toLowerCase()}._${(port.protocol ?? 'TCP').toLowerCase()}.${serviceName}`;
}

function clusterIPsOf(spec: ServiceSpec): string[] {
  const listed = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return listed.filter((ip) => isIP(ip) !== 0);
}

function isHeadless(spec: ServiceSpec): boolean {
  return spec.clusterIP === 'None' || spec.clusterIPs?.[0] === 'None';
}

function addClusterIPService(table: TableBuilder, name: string, spec: ServiceSpec): void {
  for (const ip of clusterIPsOf(spec)) {
    table.address(name, ip);
    table.pointer(ip, name);
  }
  for (const port of spec.ports ?? []) {
    const owner = srvOwner(port, name);
    if (owner)
      table.add(owner, { type: 'SRV', data: { priority: 0, weight: 100, port: port.port!, target: name } });
  }
}

/**
 * Ready endpoints only (§2.1); `ready` unset means unknown, which EndpointSlice consumers treat
 * as ready. publishNotReadyAddresses publishes every endpoint.
 */
function addHeadlessService(
  table: TableBuilder,
  name: string,
  spec: ServiceSpec,
  slices: KubeObject[],
): void {
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    const ports = (slice.ports as ServicePort[] | undefined) ?? [];
    for (const endpoint of (slice.endpoints as SliceEndpoint[] | undefined) ?? []) {
      if (endpoint.conditions?.ready === false && spec.publishNotReadyAddresses !== true) continue;
      const addresses = (endpoint.addresses ?? []).filter((address) => isIP(address) !== 0);
      const first = addresses[0];
      if (first === undefined) continue;
      const host = `${canonicalName(endpoint.hostname || dashedAddress(first))}.${name}`;
      for (const address of addresses) {
        table.address(name, address);
        table.address(host, address);
        table.pointer(address, host);
      }
      // Headless traffic goes straight to the pods, so the SRV port is the endpoint's port.
      for (const port of ports) {
        const owner = srvOwner(port, name);
        if (owner)
          table.add(owner, {
            type: 'SRV',
            data: { priority: 0, weight: 100, port: port.port!, target: host },
          });
      }
    }
  }
}

function slicesByService(slices: KubeObject[]): Map<string, KubeObject[]> {
  const grouped = new Map<string, KubeObject[]>();
  for (const slice of slices) {
    const service = slice.metadata.labels?.[serviceNameLabel];
    if (!service) continue;
    const key = `${slice.metadata.namespace ?? 'default'}/${service}`;
    grouped.set(key, [...(grouped.get(key) ?? []), slice]);
  }
  return grouped;
}

export function dnsRecords(
  services: KubeObject[],
  slices: KubeObject[],
  clusterDomain: string,
  serial = 1,
): DnsRecords {
  const zone = canonicalName(clusterDomain);
  const table = new TableBuilder();
  table.add(`dns-version.${zone}`, { type: 'TXT', data: schemaVersion });
  const byService = slicesByService(slices);
  for (const service of services) {
    const namespace = service.metadata.namespace ?? 'default';
    const serviceName = service.metadata.name;
    if (!serviceName) continue;
    const name = canonicalName(`${serviceName}.${namespace}.svc.${zone}`);
    const spec = (service.spec ?? {}) as ServiceSpec;
    if (spec.type === 'ExternalName') {
      if (spec.externalName) table.add(name, { type: 'CNAME', data: canonicalName(spec.externalName) });
    } else if (isHeadless(spec)) {
      addHeadlessService(table, name, spec, byService.get(`${namespace}/${serviceName}`) ?? []);
    } else {
      addClusterIPService(table, name, spec);
    }
  }
  const parents = new Set([`svc.${zone}`, `pod.${zone}`]);
  for (const owner of table.names.keys()) {
    // Nearest first: once one is known, so are the names above it.
    for (const parent of namesBetween(owner, zone)) {
      if (parents.has(parent)) break;
      parents.add(parent);
    }
  }
  return { zone, serial, names: table.names, parents, reverse: table.reverse };
}
