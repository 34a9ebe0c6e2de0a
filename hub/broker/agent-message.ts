// One agent → hub message as the hub's components get it: its route found in the route table and
// its payload decoded and checked once — by the broker as it authorizes the publish
// (checked-payloads.ts), or here for a message that came through an external broker. Edge sync,
// the API server's requests to gateways, the API relay and the Sparkplug bridge all read this one
// result instead of decoding the same bytes again; the route name narrows the payload's type.
import type { Validation } from '../../api/mqtt/payloads/checks.js';
import { type PayloadOf, parseTopic, type RouteName, type routes } from '../../api/mqtt/route-table.js';
import type { TopicParams } from '../../api/mqtt/topics.js';
import { checkedPayload } from './checked-payloads.js';

export type AgentMessage = {
  [K in RouteName]: {
    topic: string;
    /** The gateway that sent it: the topic names it, and the broker lets only that node publish there. */
    node: string;
    route: K;
    params: TopicParams;
    /** The payload, or why it is malformed (only behind an external broker: the embedded one drops those). */
    payload: Validation<PayloadOf<(typeof routes)[K]>>;
  };
}[RouteName];

/** The agent → hub message on `topic`; undefined for a topic outside the table's agent → hub routes. */
export function readAgentMessage(topic: string, payload: Uint8Array): AgentMessage | undefined {
  const parsed = parseTopic(topic);
  const node = parsed?.params.node;
  if (!parsed || !node || parsed.route.direction !== 'agent-to-hub') return undefined;
  // The table keys each route under its own name (test/unit/mqtt checks it), so the name and the
  // payload's type belong together.
  return {
    topic,
    node,
    route: parsed.route.name as RouteName,
    params: parsed.params,
    payload: checkedPayload(parsed.route, payload),
  } as AgentMessage;
}
