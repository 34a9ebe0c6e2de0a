// Who may publish and subscribe where, derived from the route table alone: a gateway publishes
// only its own node's agent → hub topics and reads only its own hub → agent topics and the
// shared hub → fleet topics (Services, EndpointSlices, a segment's pod routes); the hub
// publishes hub → agent and dashboard topics and reads the rest; dashboards only read the
// routes marked for them. Anything that is not a route is refused to everyone.
import { isSparkplugTopic, maySparkplugSubscribe } from '../sparkplug/access.js';
import type { Route } from './route.js';
import { type ParsedTopic, parseTopic, routeList } from './route-table.js';
import { filterReach, type TopicParams } from './topics.js';

/** `sparkplug`: a SCADA host application on the Sparkplug B namespace (api/sparkplug/access.ts). */
export type Identity =
  | { role: 'node'; node: string }
  | { role: 'hub' }
  | { role: 'dashboard' }
  | { role: 'sparkplug' };

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };
export type PublishDecision = ({ allowed: true } & ParsedTopic) | { allowed: false; reason: string };

/** MQTT client id a gateway must use: one session per node. */
export function nodeClientId(node: string): string {
  return `node:${node}`;
}

export function describeIdentity(who: Identity): string {
  return who.role === 'node' ? `node ${who.node}` : who.role;
}

function mayWrite(who: Identity, route: Route, params: TopicParams): boolean {
  if (who.role === 'node') return route.direction === 'agent-to-hub' && params.node === who.node;
  if (who.role === 'hub') return route.direction !== 'agent-to-hub';
  return false;
}

/** `pinned` holds the parameters the filter fixes; an open `{node}` reaches every node. */
function mayRead(who: Identity, route: Route, pinned: TopicParams): boolean {
  if (who.role === 'node') {
    // Shared state is for every gateway; a node's own topics only for that node.
    return (
      route.direction === 'hub-to-fleet' || (route.direction === 'hub-to-agent' && pinned.node === who.node)
    );
  }
  if (who.role === 'hub') return route.direction !== 'hub-to-agent';
  return who.role === 'dashboard' && route.dashboards;
}

export function mayPublish(who: Identity, topic: string): PublishDecision {
  if (topic.startsWith('$')) return { allowed: false, reason: 'topics starting with $ are reserved' };
  const parsed = parseTopic(topic);
  if (!parsed) return { allowed: false, reason: 'not a Flotilla topic' };
  if (!mayWrite(who, parsed.route, parsed.params)) {
    return { allowed: false, reason: `${describeIdentity(who)} may not publish ${parsed.route.name}` };
  }
  return { allowed: true, ...parsed };
}

/** Whether a filter is well formed: '+' and '#' fill a whole level, '#' only last [MQTT-4.7.1]. */
function malformedFilter(filter: string): boolean {
  const levels = filter.split('/');
  return levels.some(
    (level, i) =>
      (level.includes('#') && (level !== '#' || i !== levels.length - 1)) ||
      (level.includes('+') && level !== '+'),
  );
}

export function maySubscribe(who: Identity, filter: string): AccessDecision {
  if (filter === '' || malformedFilter(filter)) return { allowed: false, reason: 'malformed topic filter' };
  if (filter.startsWith('$')) return { allowed: false, reason: 'topics starting with $ are reserved' };
  if (isSparkplugTopic(filter)) return maySparkplugSubscribe(who);
  let reached = 0;
  const parts = filter.split('/');
  for (const route of routeList) {
    const pinned = filterReach(parts, route.compiled);
    if (!pinned) continue;
    reached++;
    if (!mayRead(who, route, pinned)) {
      return {
        allowed: false,
        reason: `${describeIdentity(who)} may not read ${route.name} (${route.pattern})`,
      };
    }
  }
  return reached > 0 ? { allowed: true } : { allowed: false, reason: 'matches no Flotilla topic' };
}
