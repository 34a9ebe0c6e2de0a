import assert from 'node:assert/strict';
import { silentLogger } from '../../../api/logger.js';
import { podRoutesDigest, type RoutesResync } from '../../../api/mqtt/payloads/pod-routes.js';
import { SharedLink } from '../../../edge-agent/hub-link/shared-link.js';
import { SharedSync } from '../../../edge-agent/hub-link/shared-sync.js';

function harness() {
  const subscribed: string[] = [];
  const unsubscribed: string[] = [];
  const session = {
    connected: true,
    subscribe: async (subs: Array<{ filter: string }>) => {
      subscribed.push(...subs.map((s) => s.filter));
    },
    unsubscribe: async (filters: string[]) => {
      unsubscribed.push(...filters);
    },
  };
  const asked: RoutesResync[] = [];
  const sync = new SharedSync('gw-1', undefined, silentLogger);
  const ask = async (request: RoutesResync) => {
    asked.push(request);
  };
  const link = new SharedLink('gw-1', session, { sync, changed: () => {} }, ask, silentLogger);
  return { link, sync, subscribed, unsubscribed, asked };
}

const shared = (filters: Array<{ filter: string }>) =>
  filters.map((s) => s.filter).filter((f) => f.includes('/shared/'));

describe('agent shared-state subscriptions', () => {
  it('subscribes the shared topics on the first connection, even when the broker kept the session', () => {
    const h = harness();
    // An agent upgraded from protocol 1: its kept session has no shared subscriptions.
    assert.deepEqual(shared(h.link.subscriptions(true)), [
      'flotilla/v1/shared/services/+/+',
      'flotilla/v1/shared/endpointslices/+/+',
    ]);
    h.link.stop();
  });

  it('relies on a kept session afterwards, and subscribes everything again when the broker lost it', () => {
    const h = harness();
    h.sync.setSegment('site-a');
    const first = h.link.subscriptions(false);
    assert.ok(first.some((s) => s.filter === 'flotilla/v1/shared/segments/site-a/routes/+'));
    h.link.granted(first);
    assert.deepEqual(shared(h.link.subscriptions(true)), []);
    assert.equal(shared(h.link.subscriptions(false)).length, 3);
    h.link.stop();
  });

  it("follows the node's segment: the new one's routes, not the old one's", async () => {
    const h = harness();
    h.sync.setSegment('site-a');
    h.link.granted(h.link.subscriptions(false));
    h.sync.setSegment('site-b');
    await h.link.followSegment();
    assert.deepEqual(h.unsubscribed, ['flotilla/v1/shared/segments/site-a/routes/+']);
    assert.deepEqual(h.subscribed, ['flotilla/v1/shared/segments/site-b/routes/+']);
    // Then it asks for the new segment's set, holding none of its routes.
    assert.deepEqual(h.asked, [{ segment: 'site-b', digest: podRoutesDigest([]) }]);
    // A kept session now has the new segment's subscription.
    assert.deepEqual(shared(h.link.subscriptions(true)), []);
    h.link.stop();
  });

  it('asks for the routes of its segment with the digest of those held, and never without a segment', async () => {
    const h = harness();
    await h.link.askRoutes();
    assert.deepEqual(h.asked, []);
    h.link.granted(h.link.subscriptions(false));
    // The own state names a segment whose subscription is not granted yet: following it asks.
    h.sync.setSegment('site-a');
    await h.link.askRoutes();
    assert.deepEqual(h.asked, []);
    await h.link.followSegment();
    assert.deepEqual(h.asked, [{ segment: 'site-a', digest: podRoutesDigest([]) }]);
    const route = { node: 'gw-2', podCIDR: '10.42.2.0/24', via: '192.168.1.2' };
    h.link.receive('flotilla/v1/shared/segments/site-a/routes/gw-2', Buffer.from(JSON.stringify(route)));
    await h.link.askRoutes();
    assert.deepEqual(h.asked[1], { segment: 'site-a', digest: podRoutesDigest([route]) });
    h.link.stop();
  });
});
