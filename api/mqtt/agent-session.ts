// What an edge agent needs to open its session, derived from the route table: the CONNECT
// fields (client id, credentials, persistent session, Last Will on presence) and the filters
// to subscribe to. Plain data, so any MQTT 3.1.1 client library can use it.
import { encodePayload } from './codec.js';
import { nodeClientPrefix, nodePassword } from './credentials.js';
import type { Presence } from './payloads/presence.js';
import { buildTopic, routeList, routes } from './route-table.js';

/**
 * QoS 1 messages the hub's broker keeps for a gateway while it is offline; later ones are not
 * kept (the connect sequence — SUBSCRIBE, resync — brings a gateway up to date whatever it missed).
 */
export const maxOfflineMessages = 1_000;

/**
 * How long the agent waits for CONNACK before it gives the attempt up and backs off (mqtt.js'
 * default). A hub that just restarted takes its whole fleet back in the order the connections
 * arrived: at 10 s, gateways still queued gave up, waited out a 30 s back-off and came back as
 * a second wave, and the hub had spent work on connections nobody was waiting for any more.
 * A hub that is down answers at once (refused); only an unresponsive one costs the full wait.
 */
export const agentConnectTimeoutMs = 30_000;

export interface AgentConnectFields {
  protocolVersion: 4;
  clientId: string;
  username: string;
  password: string;
  clean: false;
  will: { topic: string; payload: Buffer; qos: 1; retain: true };
}

export function agentConnectFields(
  node: string,
  joinToken: string | undefined,
  nodeKey: string,
): AgentConnectFields {
  const offline: Presence = { state: 'offline' };
  return {
    protocolVersion: 4,
    clientId: `${nodeClientPrefix}${node}`,
    username: node,
    password: nodePassword(joinToken, nodeKey),
    clean: false,
    will: {
      topic: buildTopic(routes.presence, { node }),
      payload: encodePayload(offline),
      qos: 1,
      retain: true,
    },
  };
}

/**
 * Every hub → agent route of this node and every shared route, other parameters as '+', with
 * the route's QoS. Pod routes are not among them: only those of the node's own segment, when
 * its desired state names one (segmentSubscription).
 */
export function agentSubscriptions(node: string): Array<{ filter: string; qos: 0 | 1 }> {
  return routeList
    .filter(
      (route) =>
        route.direction === 'hub-to-agent' ||
        (route.direction === 'hub-to-fleet' && !route.compiled.params.includes('segment')),
    )
    .map((route) => ({
      filter: route.compiled.levels
        .map((level) => ('literal' in level ? level.literal : level.param === 'node' ? node : '+'))
        .join('/'),
      qos: route.qos,
    }));
}

/** The pod routes of the gateways in `segment` (the agent's own segment). */
export function segmentSubscription(segment: string): { filter: string; qos: 0 | 1 } {
  return {
    filter: buildTopic(routes.podRoute, { segment, node: 'x' }).replace(/\/x$/, '/+'),
    qos: routes.podRoute.qos,
  };
}

/** The node's token replies alone (subscribed first after CONNACK, before the node registers). */
export function tokenReplySubscription(node: string): { filter: string; qos: 0 | 1 } {
  const filter = agentSubscriptions(node).find((s) => s.filter.includes('/tokens/replies/'));
  if (!filter) throw new Error('the route table has no token replies');
  return filter;
}
