import assert from 'node:assert/strict';
import type { RouteLimit } from '../../../api/mqtt/gateway-rate-limits.js';
import { GatewayRateLimiter } from '../../../hub/edge-sync/gateway-limits.js';
import { captureLogger } from '../../helpers/capture-logger.js';

const limits: Record<string, RouteLimit> = {
  events: { burst: 3, perSecond: 1, overflow: 'drop' },
  podStatus: { burst: 2, perSecond: 1, overflow: 'coalesce' },
  nodeStatus: { burst: 1, perSecond: 1, overflow: 'coalesce' },
};

/** A limiter on a hand-moved clock, whose scheduled releases the test runs itself. */
function harness() {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const logs: string[] = [];
  const limiter = new GatewayRateLimiter(
    {
      now: () => now,
      schedule: (fn, ms) => {
        const timer = { at: now + ms, fn };
        timers.push(timer);
        return () => timers.splice(timers.indexOf(timer), 1);
      },
      log: captureLogger(logs).child('edge-sync'),
    },
    limits,
  );
  const delivered: { node: string; payload: any }[] = [];
  const dropped: { node: string; payload: any; reason: string }[] = [];
  return {
    limiter,
    logs,
    delivered,
    dropped,
    send: (node: string, route: string, payload: unknown) =>
      limiter.admit(
        node,
        route,
        payload,
        (p) => delivered.push({ node, payload: p }),
        (p, reason) => dropped.push({ node, payload: p, reason }),
      ),
    advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.fn();
      }
    },
  };
}

const events = (n: number, from = 0) => ({
  items: Array.from({ length: n }, (_, i) => ({ reason: `e${from + i}` })),
});
const status = (name: string, phase: string) => ({
  namespace: 'default',
  name,
  uid: name,
  observedAt: 1,
  status: { phase },
});

describe('per-gateway rate limits', () => {
  it('lets a burst of events through, drops the rest, and refills over time', () => {
    const h = harness();
    h.send('gw-flood', 'events', events(10));
    assert.deepEqual(
      h.delivered.flatMap((d) => d.payload.items.map((e: { reason: string }) => e.reason)),
      ['e0', 'e1', 'e2'],
    );
    h.advance(2_000);
    h.send('gw-flood', 'events', events(10, 10));
    assert.equal(h.delivered.flatMap((d) => d.payload.items).length, 5);
    assert.equal(h.logs.length, 1, 'logged once per gateway per interval');
    // What was dropped is handed back, in the message it came in, with the reason.
    assert.deepEqual(
      h.dropped.map((d) => d.payload.items.map((e: { reason: string }) => e.reason).join(',')),
      ['e3,e4,e5,e6,e7,e8,e9', 'e12,e13,e14,e15,e16,e17,e18,e19'],
    );
    assert.equal(h.dropped[0]!.reason, "dropped: over the gateway's events rate limit (1/s, burst 3)");
    assert.match(
      h.logs[0]!,
      /^edge-sync: node gw-flood over its rate limits \(events 1\/s, burst 3\): 7 events items dropped$/,
    );
  });

  it('never limits one gateway for another', () => {
    const h = harness();
    h.send('gw-flood', 'events', events(100));
    h.send('gw-calm', 'events', events(2));
    assert.equal(h.delivered.filter((d) => d.node === 'gw-calm').flatMap((d) => d.payload.items).length, 2);
  });

  it('delays statuses beyond the limit and applies only the newest per pod, in order', () => {
    const h = harness();
    h.send('gw-a', 'podStatus', { items: [status('p1', 'Pending'), status('p2', 'Pending')] });
    h.send('gw-a', 'podStatus', { items: [status('p1', 'Running'), status('p3', 'Running')] });
    h.send('gw-a', 'podStatus', { items: [status('p1', 'Failed')] });
    const phases = () =>
      h.delivered.flatMap((d) => d.payload.items.map((i: any) => `${i.name}:${i.status.phase}`));
    assert.deepEqual(phases(), ['p1:Pending', 'p2:Pending']);
    h.advance(1_000);
    h.advance(1_000);
    assert.deepEqual(phases(), ['p1:Pending', 'p2:Pending', 'p3:Running', 'p1:Failed']);
    h.advance(10_000);
    assert.equal(phases().length, 4, 'nothing left waiting, nothing delivered twice');
  });

  it('coalesces single-message routes to the newest message', () => {
    const h = harness();
    for (const n of [1, 2, 3]) h.send('gw-a', 'nodeStatus', { n });
    h.advance(1_000);
    assert.deepEqual(
      h.delivered.map((d) => d.payload.n),
      [1, 3],
    );
  });

  it('hands each waiting status back in the envelope of the message it came in', () => {
    const h = harness();
    const first = { items: [status('p1', 'Pending'), status('p2', 'Pending'), status('p3', 'Pending')] };
    const second = { items: [status('p4', 'Running')], marker: 'second' };
    h.send('gw-a', 'podStatus', first);
    h.send('gw-a', 'podStatus', second);
    h.advance(1_000);
    h.advance(1_000);
    const batches = h.delivered.map((d) => d.payload.items.map((i: any) => i.name));
    assert.deepEqual(batches, [['p1', 'p2'], ['p3'], ['p4']]);
    // Same item objects, so the caller finds each one's position in the message it sent.
    assert.equal(h.delivered[1]!.payload.items[0], first.items[2]);
    assert.equal(h.delivered[1]!.payload.marker, undefined, 'not in the newer message');
    assert.equal(h.delivered[2]!.payload.marker, 'second');
    assert.deepEqual(h.dropped, []);
  });
});
