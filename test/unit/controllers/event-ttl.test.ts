import assert from 'node:assert/strict';
import { lastWrittenAt, parseEventTTL } from '../../../hub/controllers/events/event-ttl.js';

describe('event TTL', () => {
  it('parses --event-ttl as a Go duration of at least a second', () => {
    assert.equal(parseEventTTL('1h'), 3_600_000);
    assert.equal(parseEventTTL('1h30m'), 5_400_000);
    assert.equal(parseEventTTL('45s'), 45_000);
    assert.throws(() => parseEventTTL('0s'), /--event-ttl must be at least 1s, got "0s"/);
    assert.throws(
      () => parseEventTTL('soon'),
      /^Error: --event-ttl: invalid duration "soon", e\.g\. 1h or 30m$/,
    );
    assert.throws(() => parseEventTTL('5d'), /unknown unit "d"/);
  });

  it('counts from the newest of the event’s own times', () => {
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'x', creationTimestamp: '2026-01-01T10:00:00Z' },
      lastTimestamp: '2026-01-01T10:20:00Z',
      eventTime: null,
    };
    assert.equal(lastWrittenAt(event), Date.parse('2026-01-01T10:20:00Z'));
    assert.ok(Number.isNaN(lastWrittenAt({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'y' } })));
  });
});
