// Routes between gateways' pod networks, host-gw style: every other node's podCIDR via that
// node's address, on gateways that share one L2 segment. The plan is pure: what the hub says
// against what this agent installed before (its routes carry their own protocol number, so
// the host's and CNI's routes are never read as ours nor touched).
import type { PodRoute } from '../../api/mqtt/payloads/pod-routes.js';

/** The routing protocol number marking Flotilla's routes (`ip route show proto 249`). */
export const podRouteProtocol = 249;

export interface InstalledRoute {
  dst: string;
  gateway?: string;
}

export interface RoutePlan {
  /** `ip route replace dst via gateway`: new or moved routes. */
  replace: PodRoute[];
  /** `ip route del dst`: routes of nodes that are gone, or that are now this node's own. */
  remove: string[];
}

/**
 * Routes to add, move and delete. Routes to this node's own pod network are never wanted (its
 * bridge serves it), nor routes whose next hop is one of this node's own addresses.
 */
export function planPodRoutes(
  wanted: readonly PodRoute[],
  installed: readonly InstalledRoute[],
  own: { podCIDR?: string; addresses: readonly string[] },
): RoutePlan {
  const desired = new Map<string, PodRoute>();
  for (const route of wanted) {
    if (route.podCIDR === own.podCIDR || own.addresses.includes(route.via)) continue;
    desired.set(route.podCIDR, route);
  }
  const current = new Map(installed.map((route) => [route.dst, route.gateway]));
  const replace = [...desired.values()].filter((route) => current.get(route.podCIDR) !== route.via);
  const remove = [...current.keys()].filter((dst) => !desired.has(dst));
  return { replace, remove };
}
