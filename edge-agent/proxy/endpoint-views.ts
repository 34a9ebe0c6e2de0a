// Which of a service port's endpoints receive traffic, kube-proxy's way (CategorizeEndpoints):
// ready endpoints; when none is ready anywhere, the ones that are still serving while they
// terminate, so a rolling update of the last replica does not black-hole connections. The Local
// view makes the same choice among this node's endpoints only. Called once per port on every
// desired state (10,000 Services: 50,000 endpoints), hence numbers instead of strings to sort.
import type { ProxyEndpoint } from './service-port.js';

/** One address of an EndpointSlice endpoint, with its slice conditions. */
export interface EndpointCandidate {
  ip: string;
  /** The address as a number, for ordering. */
  order: number;
  local: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** Candidates behind one slice port: the target port number they all share. */
export interface CandidateGroup {
  port: number;
  candidates: readonly EndpointCandidate[];
}

export interface EndpointViews {
  cluster: ProxyEndpoint[];
  local: ProxyEndpoint[];
}

interface Placed {
  c: EndpointCandidate;
  port: number;
}

export function endpointViews(groups: readonly CandidateGroup[]): EndpointViews {
  const unique = dedupe(groups);
  return { cluster: pick(unique, false), local: pick(unique, true) };
}

function pick(unique: Placed[], localOnly: boolean): ProxyEndpoint[] {
  let anyReady = false;
  for (const { c } of unique) if (c.ready && (!localOnly || c.local)) anyReady = true;
  const out: ProxyEndpoint[] = [];
  for (const { c, port } of unique) {
    if (localOnly && !c.local) continue;
    if (anyReady ? c.ready : c.serving && c.terminating) out.push({ ip: c.ip, port, local: c.local });
  }
  return out;
}

/**
 * One candidate per ip:port, in address order: an address listed by two slices (while the hub
 * moves it between them) counts once, with its best conditions; the order keeps the rules stable
 * whatever order the slices came in.
 */
function dedupe(groups: readonly CandidateGroup[]): Placed[] {
  const all: Placed[] = [];
  for (const group of groups) for (const c of group.candidates) all.push({ c, port: group.port });
  all.sort((a, b) => a.c.order - b.c.order || a.port - b.port || rank(b.c) - rank(a.c));
  const out: Placed[] = [];
  for (const placed of all) {
    const last = out[out.length - 1];
    if (last && last.c.order === placed.c.order && last.port === placed.port) continue; // worse duplicate
    out.push(placed);
  }
  return out;
}

function rank(c: EndpointCandidate): number {
  return c.ready ? 2 : c.serving && c.terminating ? 1 : 0;
}
