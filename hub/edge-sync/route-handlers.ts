// Edge sync's handlers, one per agent → hub route it acts on, typed from the route table: each gets
// the node the message came from (taken from the topic, which the broker only lets that node
// publish on) and the route's payload, already checked (hub/broker/agent-message.ts).
import type { RefusedItem } from '../../api/mqtt/payloads/refusal.js';
import type { PayloadOf, RouteName, routes } from '../../api/mqtt/route-table.js';
import type { AgentMessage } from '../broker/agent-message.js';

/**
 * Items of the payload the hub refused (index into the items the handler got), so the gateway
 * hears of them; a transient failure (store unavailable) is not a refusal and is only logged.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: handlers of single-object payloads return nothing.
export type HandlerResult = Promise<RefusedItem[] | void>;

export type RouteHandler<K extends RouteName> = (
  node: string,
  payload: PayloadOf<(typeof routes)[K]>,
) => HandlerResult;

export type RouteHandlers = { [K in RouteName]?: RouteHandler<K> };

/**
 * The handler of `message`'s route. It takes the message's payload, or the part of a batch the
 * rate limiter lets through (gateway-limits.ts), which has the payload's type.
 */
export function handlerOf(
  handlers: RouteHandlers,
  message: AgentMessage,
): ((node: string, payload: unknown) => HandlerResult) | undefined {
  // The route's name and its payload's type come from one row of the table.
  return handlers[message.route] as ((node: string, payload: unknown) => HandlerResult) | undefined;
}
