// Which network segment a gateway is in, for pod routes between gateways (host-gw): a route via
// another gateway's InternalIP only works when that address is on the same L2 segment, so each
// gateway gets the routes of its segment only — not N−1 — and a gateway joining touches its own
// segment's topic, not every gateway's state. The operator's `flotilla.io/site` label wins (a
// site may span subnets the hub cannot see); without it the /24 of the first IPv4 InternalIP.
import { formatIPv4, parseIPv4 } from '../../api/ipv4.js';
import { segmentPattern } from '../../api/mqtt/topics.js';
import type { KubeObject } from '../../api/types.js';
import { internalIPv4Of } from './desired-state.js';

export const siteLabel = 'flotilla.io/site';

/** The node's segment name (a topic level), or undefined when it has neither label nor IPv4 InternalIP. */
export function segmentOf(nodeObj: KubeObject | undefined): string | undefined {
  if (!nodeObj) return undefined;
  const site = nodeObj.metadata.labels?.[siteLabel];
  if (typeof site === 'string' && site !== '') {
    const name = `site-${site}`;
    return segmentPattern.test(name) ? name : undefined;
  }
  const ip = internalIPv4Of(nodeObj);
  if (!ip) return undefined;
  const value = parseIPv4(ip)!;
  return `ipv4-${formatIPv4(value - (value % 256))}-24`;
}
