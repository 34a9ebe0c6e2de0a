// Pod routes between the gateways of one network segment (host-gw): each gateway's pod network
// and the InternalIP that reaches it. A change travels as one message per gateway route on the
// segment's shared topic; the whole set of a segment comes only when a gateway asks for it
// (`routesResync`) and what it holds differs from the hub's — both sides name a set by the same
// digest, so a fleet returning to a restarted hub is told nothing it already has.
import { createHash } from 'node:crypto';
import { type FieldError, invalidValue } from '../../errors.js';
import { parseIPv4 } from '../../ipv4.js';
import { needRecords, needString, objectPayload, type Validator } from './checks.js';
import { checkSegment, maxDigestLength, podCidrProblem } from './desired-state.js';

export interface PodRoute {
  node: string;
  podCIDR: string;
  /** The node's InternalIP (IPv4): the next hop for podCIDR. */
  via: string;
}

/** A gateway asks for its segment's routes: the segment it follows and the digest of what it holds. */
export interface RoutesResync {
  segment: string;
  digest: string;
}

/** The routes of every other gateway in `segment`, whole; replaces what the gateway holds. */
export interface RouteSet {
  segment: string;
  digest: string;
  routes: PodRoute[];
}

/** More routes than any segment holds: a /24 has 256 gateways, a site label rarely thousands. */
export const maxSegmentRoutes = 10_000;

/**
 * The name of a set of routes both sides compute: sha-256 over one line per route,
 * `node podCIDR via\n`, in the order of the node names (code points), base64url without padding.
 * The set is the routes of the other gateways of the segment (never the asker's own).
 */
export function podRoutesDigest(routes: Iterable<PodRoute>): string {
  const sorted = [...routes].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const hash = createHash('sha256');
  for (const route of sorted) hash.update(`${route.node} ${route.podCIDR} ${route.via}\n`);
  return hash.digest('base64url');
}

function checkRoute(errs: FieldError[], route: Record<string, unknown>, at: string): void {
  needString(errs, route.node, `${at}node`, 253);
  const cidr = needString(errs, route.podCIDR, `${at}podCIDR`, 18);
  const problem = cidr === undefined ? undefined : podCidrProblem(cidr);
  if (problem) errs.push(invalidValue(`${at}podCIDR`, cidr, problem));
  const via = needString(errs, route.via, `${at}via`, 15);
  if (via !== undefined && parseIPv4(via) === undefined) {
    errs.push(invalidValue(`${at}via`, via, 'must be an IPv4 address'));
  }
}

/** One gateway's pod route on `shared/segments/{segment}/routes/{node}`. */
export const validatePodRoute: Validator<PodRoute> = objectPayload((errs, route) =>
  checkRoute(errs, route, ''),
);

export const validateRoutesResync: Validator<RoutesResync> = objectPayload((errs, body) => {
  checkSegment(errs, body.segment, true);
  needString(errs, body.digest, 'digest', maxDigestLength);
});

export const validateRouteSet: Validator<RouteSet> = objectPayload((errs, body) => {
  checkSegment(errs, body.segment, true);
  needString(errs, body.digest, 'digest', maxDigestLength);
  for (const [route, at] of needRecords(errs, body.routes, 'routes', maxSegmentRoutes))
    checkRoute(errs, route, `${at}.`);
});
