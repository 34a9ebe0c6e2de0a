// Sticky clients whose endpoint went away. In iptables mode a client's affinity lives in the
// endpoint chain's `recent` list and dies with the chain; in nftables mode it is an element of
// the dynamic `affinity` map (client . frontend → endpoint), which would keep sending the client
// to a removed pod until its timeout. So after an update that took endpoints from a sticky port,
// the proxy lists the map (`nft -j list map`) and deletes those elements. Pure.
import { portPolicy, type ServicePort, usedEndpoints } from './service-port.js';

export interface AffinityEntry {
  /** The element's key as nft takes it back: `client . frontend-ip . proto . port`. */
  key: string;
  frontend: string;
  endpoint: string;
}

type Json = Record<string, unknown>;

/** Elements of `nft -j list map ip flotilla affinity`. */
export function parseAffinityMap(json: string): AffinityEntry[] {
  const body = JSON.parse(json) as { nftables?: Json[] };
  const map = body.nftables?.find((item) => 'map' in item)?.map as { elem?: unknown[] } | undefined;
  const out: AffinityEntry[] = [];
  for (const pair of map?.elem ?? []) {
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    const [keyPart, valuePart] = pair as [Json, Json];
    const keyValue = (keyPart.elem as Json | undefined)?.val ?? keyPart;
    const key = (keyValue as Json).concat;
    const value = valuePart.concat;
    if (!Array.isArray(key) || key.length !== 4 || !Array.isArray(value) || value.length !== 2) continue;
    const [client, ip, proto, port] = key.map(String);
    out.push({
      key: `${client} . ${ip} . ${proto} . ${port}`,
      frontend: `${ip} . ${proto} . ${port}`,
      endpoint: `${value[0]} . ${value[1]}`,
    });
  }
  return out;
}

/** Frontends (`ip . proto . port`) a port's sticky clients are keyed by; node ports on each node address. */
export function stickyFrontends(port: ServicePort, nodeAddresses: readonly string[]): string[] {
  const proto = port.protocol.toLowerCase();
  const ips = [port.clusterIP, ...port.externalIPs, ...port.loadBalancerIPs].map(
    (ip) => `${ip} . ${proto} . ${port.port}`,
  );
  const nodePorts =
    port.nodePort === undefined ? [] : nodeAddresses.map((ip) => `${ip} . ${proto} . ${port.nodePort}`);
  return [...ips, ...nodePorts];
}

/** Keys of entries that lead a client of `before` to an endpoint `after` no longer has. */
export function staleAffinityKeys(
  entries: readonly AffinityEntry[],
  changes: ReadonlyArray<{ before: ServicePort; after?: ServicePort }>,
  nodeAddresses: readonly string[],
): string[] {
  const valid = new Map<string, Set<string>>();
  const none = new Set<string>();
  for (const { before, after } of changes) {
    const sticky = after?.affinitySeconds !== undefined ? after : undefined;
    const endpoints = new Set(
      sticky ? usedEndpoints(portPolicy(sticky)).map((ep) => `${ep.ip} . ${ep.port}`) : [],
    );
    const kept = new Set(sticky ? stickyFrontends(sticky, nodeAddresses) : []);
    for (const frontend of stickyFrontends(before, nodeAddresses))
      valid.set(frontend, kept.has(frontend) ? endpoints : none);
  }
  return entries
    .filter((entry) => {
      const endpoints = valid.get(entry.frontend);
      return endpoints !== undefined && !endpoints.has(entry.endpoint);
    })
    .map((entry) => entry.key);
}

/** A sticky port that lost endpoints or frontends (or its affinity, or itself) in this change. */
export function lostStickyTargets(
  before: ServicePort | undefined,
  after: ServicePort | undefined,
  nodeAddresses: readonly string[],
): boolean {
  if (before?.affinitySeconds === undefined) return false;
  if (after?.affinitySeconds === undefined) return true;
  const endpoints = new Set(usedEndpoints(portPolicy(after)).map((ep) => `${ep.ip}:${ep.port}`));
  const frontends = new Set(stickyFrontends(after, nodeAddresses));
  return (
    usedEndpoints(portPolicy(before)).some((ep) => !endpoints.has(`${ep.ip}:${ep.port}`)) ||
    stickyFrontends(before, nodeAddresses).some((frontend) => !frontends.has(frontend))
  );
}
