import assert from 'node:assert/strict';
import { encodePayload } from '../../../api/mqtt/codec.js';
import { routes } from '../../../api/mqtt/route-table.js';
import { checkedPayload, checkPayload } from '../../../hub/broker/checked-payloads.js';

describe("the broker's payload checks, handed to edge sync", () => {
  const heartbeat = () => encodePayload({ t: Date.now(), s: 1 });

  it('gives edge sync the result the broker worked out, once, for the same route', () => {
    const payload = heartbeat();
    const atBroker = checkPayload(routes.heartbeat, payload);
    assert.ok(atBroker.ok);
    assert.equal(checkedPayload(routes.heartbeat, payload), atBroker, 'the same result, not decoded again');
    const again = checkedPayload(routes.heartbeat, payload);
    assert.notEqual(again, atBroker, 'taken once: a second receiver decodes for itself');
    assert.deepEqual(again, atBroker);
  });

  it('decodes for itself a payload the broker did not check, or checked for another route', () => {
    const payload = heartbeat();
    assert.ok(checkedPayload(routes.heartbeat, payload).ok);
    checkPayload(routes.heartbeat, payload);
    const asPresence = checkedPayload(routes.presence, payload);
    assert.equal(asPresence.ok, false, 'validated against the route asked for');
  });
});
