import assert from 'node:assert/strict';
import { batchLimits, Outbox } from '../../../edge-agent/hub-link/outbox.js';
import { anEvent, aPodStatus } from './agent-builders.js';

const keys = (outbox: Outbox) => outbox.list().map((e) => e.key);

describe('agent outbox', () => {
  it('keeps only the newest status of a pod, in the place of its first appearance', () => {
    const outbox = new Outbox();
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 1, 'Pending') });
    outbox.add({ kind: 'event', item: anEvent('a', 'Pulled', 2) });
    outbox.add({ kind: 'podStatus', item: aPodStatus('b', 3, 'Pending') });
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 4, 'Running') });
    assert.deepEqual(keys(outbox), ['pod/a', 'event/2', 'pod/b']);
    const first = outbox.list()[0]!;
    assert.equal(first.value.kind === 'podStatus' && first.value.item.status.phase, 'Running');
    assert.equal(first.value.item.observedAt, 4);
  });

  it('ignores a status older than the one queued for the same pod', () => {
    const outbox = new Outbox();
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 10, 'Running') });
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 5, 'Pending') });
    assert.equal(outbox.list()[0]!.value.item.observedAt, 10);
  });

  it('batches the run of same-kind entries at the head, in order', () => {
    const outbox = new Outbox();
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 1) });
    outbox.add({ kind: 'podStatus', item: aPodStatus('b', 2) });
    outbox.add({ kind: 'event', item: anEvent('a', 'Started', 3) });
    outbox.add({ kind: 'podStatus', item: aPodStatus('c', 4) });
    const sent: string[][] = [];
    for (let batch = outbox.nextBatch(); batch; batch = outbox.nextBatch()) {
      sent.push(batch.entries.map((e) => e.key));
      outbox.settle(batch.entries);
    }
    assert.deepEqual(sent, [['pod/a', 'pod/b'], ['event/3'], ['pod/c']]);
    assert.equal(outbox.size, 0);
  });

  it('caps a batch at the route limit on items', () => {
    const outbox = new Outbox();
    for (let i = 0; i < batchLimits.podStatus.items + 5; i++)
      outbox.add({ kind: 'podStatus', item: aPodStatus(`p${i}`, i) });
    assert.equal(outbox.nextBatch()?.entries.length, batchLimits.podStatus.items);
  });

  it('caps a batch at the route limit on bytes', () => {
    const outbox = new Outbox();
    const big = (uid: string) => ({
      ...aPodStatus(uid, 1),
      status: { phase: 'Running' as const, message: 'x'.repeat(4000) },
    });
    for (let i = 0; i < 100; i++) outbox.add({ kind: 'podStatus', item: big(`p${i}`) });
    const batch = outbox.nextBatch()!;
    const bytes = Buffer.byteLength(JSON.stringify({ items: batch.entries.map((e) => e.value.item) }));
    assert.ok(batch.entries.length < 100);
    assert.ok(bytes <= batchLimits.podStatus.bytes + 64, `${bytes} bytes`);
  });

  it('keeps an entry that was replaced while its batch was in flight', () => {
    const outbox = new Outbox();
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 1, 'Pending') });
    const batch = outbox.nextBatch()!;
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 2, 'Running') });
    outbox.settle(batch.entries);
    assert.deepEqual(keys(outbox), ['pod/a']);
    assert.equal(outbox.list()[0]!.value.item.observedAt, 2);
  });

  it('when full, drops the oldest event first, then the oldest status', () => {
    const dropped: string[] = [];
    const outbox = new Outbox(3, (entry, why) => dropped.push(`${entry.key}: ${why}`));
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 1) });
    outbox.add({ kind: 'event', item: anEvent('a', 'Pulled', 2) });
    outbox.add({ kind: 'podStatus', item: aPodStatus('b', 3) });
    outbox.add({ kind: 'podStatus', item: aPodStatus('c', 4) });
    assert.deepEqual(keys(outbox), ['pod/a', 'pod/b', 'pod/c']);
    outbox.add({ kind: 'podStatus', item: aPodStatus('d', 5) });
    assert.deepEqual(keys(outbox), ['pod/b', 'pod/c', 'pod/d']);
    assert.deepEqual(dropped, ['event/2: outbox full (3 items)', 'pod/a: outbox full (3 items)']);
    assert.equal(outbox.dropped, 2);
  });

  it('coalescing a status never counts against the bound', () => {
    const outbox = new Outbox(2);
    for (let t = 0; t < 50; t++) outbox.add({ kind: 'podStatus', item: aPodStatus('a', t) });
    outbox.add({ kind: 'podStatus', item: aPodStatus('b', 1) });
    assert.equal(outbox.size, 2);
    assert.equal(outbox.dropped, 0);
  });

  it('drops an item that could never fit in a message', () => {
    const dropped: string[] = [];
    const outbox = new Outbox(10, (entry) => dropped.push(entry.key));
    const huge = { ...anEvent('a', 'Huge', 1), message: 'y'.repeat(200 * 1024) };
    outbox.add({ kind: 'event', item: huge });
    assert.equal(outbox.size, 0);
    assert.deepEqual(dropped, ['event/1']);
  });

  it('restores entries from local state in their order and continues their numbering', () => {
    const first = new Outbox();
    first.add({ kind: 'event', item: anEvent('a', 'Pulled', 1) });
    first.add({ kind: 'podStatus', item: aPodStatus('a', 2) });
    const second = new Outbox();
    second.restore([...first.list()].reverse());
    second.add({ kind: 'event', item: anEvent('a', 'Started', 3) });
    assert.deepEqual(keys(second), ['event/1', 'pod/a', 'event/3']);
    assert.ok(second.list()[2]!.version > first.list()[1]!.version);
  });
});
