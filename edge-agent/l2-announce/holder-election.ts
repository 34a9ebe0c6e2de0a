// Which gateway of a site holds each LoadBalancer address (pure). Every gateway of the site runs
// the same computation on the same inputs and so reaches the same answer without a coordinator:
// - the candidates of an address are the gateways the hub lists for it (the Service's
//   flotilla.io/announcers annotation: gateways of the Service's site, not excluded from load
//   balancers, not powered off), that are alive on the plant network (their beats are heard:
//   site-beats.ts), and that can serve it (an interface on the address's network, and with
//   externalTrafficPolicy Local a ready endpoint of the Service on that gateway);
// - the holder is the candidate with the highest rendezvous hash of (address, gateway): stable
//   while the candidates stay, spread over the gateways when there are many addresses, and a
//   gateway leaving moves only the addresses it held.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';

export const announcersAnnotation = 'flotilla.io/announcers';

export interface AnnouncedAddress {
  address: string;
  /** Gateways the hub allows to announce it. */
  announcers: string[];
  /** externalTrafficPolicy Local: only a gateway with a ready local endpoint may hold it. */
  local: boolean;
  /** `namespace/name` of the Service. */
  service: string;
}

interface ServiceView {
  metadata: KubeObject['metadata'];
  spec?: { type?: string; externalTrafficPolicy?: string };
  status?: { loadBalancer?: { ingress?: { ip?: string; ipMode?: string }[] } };
}

interface SliceView {
  metadata: KubeObject['metadata'];
  endpoints?: { nodeName?: string; conditions?: { ready?: boolean } }[];
}

/** The pool addresses of the LoadBalancer Services the hub gave announcers to. */
export function announcedAddresses(services: readonly KubeObject[]): AnnouncedAddress[] {
  const out: AnnouncedAddress[] = [];
  for (const svc of services as readonly ServiceView[]) {
    if (svc.spec?.type !== 'LoadBalancer') continue;
    const listed = svc.metadata.annotations?.[announcersAnnotation];
    if (!listed) continue;
    const announcers = listed
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    for (const entry of svc.status?.loadBalancer?.ingress ?? []) {
      if (!entry.ip || entry.ipMode === 'Proxy') continue;
      out.push({
        address: entry.ip,
        announcers,
        local: svc.spec?.externalTrafficPolicy === 'Local',
        service: `${svc.metadata.namespace}/${svc.metadata.name}`,
      });
    }
  }
  return out;
}

/** Services (`namespace/name`) with a ready endpoint on `node`. */
export function servicesReadyOn(slices: readonly KubeObject[], node: string): Set<string> {
  const ready = new Set<string>();
  for (const slice of slices as readonly SliceView[]) {
    const service = slice.metadata.labels?.['kubernetes.io/service-name'];
    if (!service) continue;
    const here = (slice.endpoints ?? []).some((e) => e.nodeName === node && e.conditions?.ready !== false);
    if (here) ready.add(`${slice.metadata.namespace}/${service}`);
  }
  return ready;
}

function score(address: string, node: string): string {
  return createHash('sha256').update(`${address}\u0000${node}`).digest('hex');
}

/** The holder among `candidates` (rendezvous hashing); undefined when there is none. */
export function electHolder(address: string, candidates: Iterable<string>): string | undefined {
  let best: { node: string; score: string } | undefined;
  for (const node of candidates) {
    const s = score(address, node);
    if (!best || s > best.score || (s === best.score && node < best.node)) best = { node, score: s };
  }
  return best?.node;
}

export interface ElectionInput {
  self: string;
  addresses: readonly AnnouncedAddress[];
  /** Addresses this gateway can serve (see canServe in lb-announcer.ts). */
  selfServes: ReadonlySet<string>;
  /** Gateways heard recently, with the addresses each says it can serve. */
  peers: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The addresses this gateway must hold now. */
export function addressesToHold(input: ElectionInput): Set<string> {
  const hold = new Set<string>();
  for (const { address, announcers } of input.addresses) {
    const candidates = announcers.filter((node) =>
      node === input.self ? input.selfServes.has(address) : input.peers.get(node)?.has(address),
    );
    if (electHolder(address, candidates) === input.self) hold.add(address);
  }
  return hold;
}
