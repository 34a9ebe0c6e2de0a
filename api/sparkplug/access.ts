// Who may use the Sparkplug B namespace (spBv1.0/...) on the embedded broker. The hub publishes
// as the fleet's edge nodes; SCADA host applications (username `sparkplug`) read everything and
// publish only what a host application sends: its STATE and commands (NCMD, DCMD); dashboards
// read. Gateways have no business there. The Flotilla route table does not cover this
// namespace: its topics are the specification's, not ours.
import type { AccessDecision, Identity } from '../mqtt/access.js';
import { namespace, parseSparkplugTopic } from './topics.js';

const hostMessages = new Set(['STATE', 'NCMD', 'DCMD']);

export function isSparkplugTopic(topicOrFilter: string): boolean {
  return topicOrFilter === namespace || topicOrFilter.startsWith(`${namespace}/`);
}

export function maySparkplugPublish(who: Identity, topic: string): AccessDecision {
  const parsed = parseSparkplugTopic(topic);
  if (!parsed) return { allowed: false, reason: 'not a Sparkplug B topic' };
  if (who.role === 'hub') return { allowed: true };
  if (who.role === 'sparkplug' && hostMessages.has(parsed.type)) return { allowed: true };
  const actor = who.role === 'node' ? `node ${who.node}` : who.role;
  return { allowed: false, reason: `${actor} may not publish Sparkplug ${parsed.type} messages` };
}

export function maySparkplugSubscribe(who: Identity): AccessDecision {
  if (who.role === 'node')
    return { allowed: false, reason: `node ${who.node} may not read Sparkplug topics` };
  return { allowed: true };
}
