// Telling a gateway what the hub did not apply of its message (the `refused` route): refusals
// found by the payload validator and those of the handlers (the API server's 422, a pod that
// is not the node's) go back together, one message per message received, in item order.
import { isApiError } from '../../api/errors.js';
import { encodePayload } from '../../api/mqtt/codec.js';
import { type RefusedItem, refusalOf } from '../../api/mqtt/payloads/refusal.js';
import { buildTopic, routes } from '../../api/mqtt/route-table.js';
import type { PublishFn } from './publish.js';

/** The API server refused a write for what it contains (not for a race or an outage). */
export function refusedByApi(err: unknown): boolean {
  return isApiError(err) && (err.reason === 'Invalid' || err.reason === 'BadRequest');
}

/**
 * Handler refusals name items by their position in the items the handler got (the good ones);
 * `itemIndexes` maps those back to positions in the batch as the gateway sent it.
 */
export function inSentOrder(
  fromValidator: readonly RefusedItem[],
  fromHandler: readonly RefusedItem[],
  itemIndexes: readonly number[] | undefined,
): RefusedItem[] {
  const mapped = fromHandler.map((item) =>
    item.index === undefined ? item : { ...item, index: itemIndexes?.[item.index] ?? item.index },
  );
  return [...fromValidator, ...mapped].sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
}

export function publishRefusal(
  publish: PublishFn,
  node: string,
  route: string,
  refused: readonly RefusedItem[],
): void {
  if (refused.length === 0) return;
  const topic = buildTopic(routes.refused, { node });
  publish(topic, encodePayload(refusalOf(route, refused)), { qos: routes.refused.qos, retain: false });
}
