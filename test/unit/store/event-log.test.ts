import assert from 'node:assert/strict';
import { defaultEventLogBytes, EventLog, EventLogBudget } from '../../../hub/store/event-log.js';
import { NedbStore } from '../../../hub/store/nedb-store.js';

const MiB = 1024 * 1024;
const aConfigMap = (rv: number) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'big', namespace: 'default', resourceVersion: String(rv) },
});

describe('watch event log', () => {
  it('holds 2,080 updates of a 1 MiB object within its byte budget, and 410s what it let go', () => {
    const budget = new EventLogBudget();
    const log = new EventLog(10_000, 0, budget);
    for (let rv = 1; rv <= 2080; rv++) {
      log.append({ type: 'MODIFIED', object: aConfigMap(rv), prevObject: undefined, rv, bytes: MiB });
    }
    assert.ok(budget.retainedBytes <= defaultEventLogBytes, `${budget.retainedBytes} bytes retained`);
    assert.equal(log.length, defaultEventLogBytes / MiB);
    assert.equal(log.since(1), undefined, 'a watch from the start is too old');
    assert.equal(log.since(2079)?.length, 1);
  });

  it('shares one budget across resources, dropping the oldest event of any of them first', () => {
    const budget = new EventLogBudget(3 * MiB);
    const pods = new EventLog(100, 0, budget);
    const configMaps = new EventLog(100, 0, budget);
    pods.append({ type: 'ADDED', object: aConfigMap(1), prevObject: undefined, rv: 1, bytes: MiB });
    configMaps.append({ type: 'ADDED', object: aConfigMap(2), prevObject: undefined, rv: 2, bytes: MiB });
    configMaps.append({ type: 'MODIFIED', object: aConfigMap(3), prevObject: undefined, rv: 3, bytes: MiB });
    configMaps.append({ type: 'MODIFIED', object: aConfigMap(4), prevObject: undefined, rv: 4, bytes: MiB });
    assert.equal(budget.retainedBytes, 3 * MiB);
    assert.equal(pods.length, 0, 'the oldest event overall went first');
    assert.equal(pods.since(0), undefined);
    assert.equal(configMaps.since(1)?.length, 3);
  });

  it('keeps an object larger than the whole budget as its resource’s newest event', () => {
    const budget = new EventLogBudget(MiB);
    const log = new EventLog(100, 0, budget);
    log.append({ type: 'ADDED', object: aConfigMap(1), prevObject: undefined, rv: 1, bytes: 2 * MiB });
    assert.equal(log.since(0)?.length, 1);
  });

  it('bounds a store’s history by bytes under many large updates: old watches get 410 Gone', async () => {
    const store = new NedbStore({ inMemory: true, eventLogBytes: 8 * MiB, onBackgroundError: () => {} });
    await store.open();
    const data = { blob: 'x'.repeat(MiB - 200) };
    let stored = await store.create('configmaps', {
      ...aConfigMap(0),
      metadata: { name: 'big', namespace: 'default' },
      data,
    });
    const firstRv = stored.metadata.resourceVersion!;
    for (let i = 0; i < 60; i++) {
      stored = await store.update('configmaps', { ...stored, data: { ...data, i: String(i) } });
    }
    assert.ok(
      store.eventLogBudget.retainedBytes <= 8 * MiB,
      `${store.eventLogBudget.retainedBytes} bytes retained`,
    );
    assert.throws(
      () => store.watch('configmaps', { resourceVersion: firstRv }, () => {}),
      (err: { code?: number }) => err.code === 410,
    );
    const seen: string[] = [];
    const recent = String(Number(stored.metadata.resourceVersion) - 1);
    store
      .watch('configmaps', { resourceVersion: recent }, (e) => seen.push(e.object.metadata.resourceVersion!))
      .stop();
    assert.deepEqual(seen, [stored.metadata.resourceVersion]);
    await store.close();
  });
});
