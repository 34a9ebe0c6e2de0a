// What the hub tells a gateway about a message it did not (fully) apply. MQTT 3.1.1 has no way
// to refuse a PUBLISH except closing the connection, which would take every other message of
// the gateway with it; so a bad payload is acknowledged and the refusal comes back on the
// gateway's own `refused` topic: the whole message (no index) or single items of a batch,
// each with the field-qualified reason the hub logged.
import { needRecords, needString, objectPayload, optCount, type Validator } from './checks.js';

export interface RefusedItem {
  /** Position of the item in the batch's `items` as sent; absent when the whole message is refused. */
  index?: number;
  reason: string;
}

export interface Refusal {
  /** The route name of the refused message, e.g. `podStatus`. */
  route: string;
  refused: RefusedItem[];
  /** Refusals not listed, to keep the message small. */
  omitted?: number;
}

export const maxListedRefusals = 50;
const maxReasonLength = 1024;

/** A refusal of these items (at most `maxListedRefusals` listed; reasons cut to fit). */
export function refusalOf(route: string, refused: readonly RefusedItem[]): Refusal {
  const listed = refused.slice(0, maxListedRefusals).map((item) => ({
    ...item,
    reason:
      item.reason.length > maxReasonLength ? `${item.reason.slice(0, maxReasonLength - 1)}…` : item.reason,
  }));
  const omitted = refused.length - listed.length;
  return omitted > 0 ? { route, refused: listed, omitted } : { route, refused: listed };
}

export const validateRefusal: Validator<Refusal> = objectPayload((errs, body) => {
  needString(errs, body.route, 'route', 64);
  for (const [item, at] of needRecords(errs, body.refused, 'refused', maxListedRefusals)) {
    optCount(errs, item.index, `${at}.index`);
    needString(errs, item.reason, `${at}.reason`, maxReasonLength);
  }
  optCount(errs, body.omitted, 'omitted');
});
