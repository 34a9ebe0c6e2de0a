import assert from 'node:assert/strict';
import { EventTTLController } from '../../../hub/controllers/events/event-ttl-controller.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { FakeClock, listItems, modify, startControllers, until } from './controller-harness.js';

const eventsPath = '/api/v1/namespaces/default/events';
const kubeTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('Event TTL (real hub, fake clock)', () => {
  let t: TestHub;
  let h: ReturnType<typeof startControllers>;
  let clock: FakeClock;
  let ttl: EventTTLController;

  before(async () => {
    t = await startTestHub();
    clock = new FakeClock(new Date());
    h = startControllers(t, [(ctx) => new EventTTLController(ctx, { ttlMs: 3_600_000 })], clock);
    ttl = h.controllers[0] as EventTTLController;
  });
  after(async () => {
    h.stop();
    await t.close();
  });

  const anEvent = (name: string, at: Date) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
    reason: 'Started',
    message: 'Started container app',
    type: 'Normal',
    count: 1,
    firstTimestamp: kubeTime(at),
    lastTimestamp: kubeTime(at),
  });
  const names = async () => (await listItems(t, eventsPath)).map((e) => e.metadata.name).sort();

  it('deletes Events one TTL after their last write, and only those', async () => {
    const start = clock.now();
    // Created now (creationTimestamp is the hub's real time), but reported 50 minutes ago.
    assert.equal(
      (await t.api.post(eventsPath, anEvent('old', new Date(start.getTime() - 50 * 60_000)))).status,
      201,
    );
    assert.equal((await t.api.post(eventsPath, anEvent('fresh', start))).status, 201);
    assert.equal((await t.api.post(eventsPath, anEvent('renewed', start))).status, 201);
    await until(async () => assert.deepEqual(await names(), ['fresh', 'old', 'renewed']));

    clock.advance(59 * 60_000);
    await modify(t, `${eventsPath}/renewed`, (e) => {
      e.count = 2;
      e.lastTimestamp = kubeTime(clock.now());
    });
    await ttl.expireDue();
    assert.deepEqual(await names(), ['fresh', 'old', 'renewed'], 'nothing is an hour old yet');

    clock.advance(2 * 60_000 + 5_000);
    await until(async () => {
      await ttl.expireDue();
      assert.deepEqual(await names(), ['renewed']);
    });

    clock.advance(60 * 60_000);
    await until(async () => {
      await ttl.expireDue();
      assert.deepEqual(await names(), []);
    });
  });
});
