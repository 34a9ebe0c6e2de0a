import assert from 'node:assert/strict';
import { silentLogger } from '../../../api/logger.js';
import { NotConnectedError } from '../../../edge-agent/hub-link/mqtt-session.js';
import { Outbox } from '../../../edge-agent/hub-link/outbox.js';
import { OutboxSender, type Publisher } from '../../../edge-agent/hub-link/outbox-sender.js';
import { anEvent, aPodStatus } from './agent-builders.js';

class FakeLink implements Publisher {
  connected = true;
  sent: Array<{ topic: string; items: Array<{ observedAt: number }> }> = [];
  /** Fails the publish with this index by dropping the connection. */
  dropAt: number | undefined;

  async publish(topic: string, payload: Buffer): Promise<void> {
    if (this.dropAt === this.sent.length) {
      this.connected = false;
      throw new NotConnectedError('connection closed before the hub acknowledged');
    }
    this.sent.push({ topic, items: JSON.parse(payload.toString()).items });
  }
}

describe('agent outbox delivery', () => {
  it('delivers statuses and events in order, one batch per run', async () => {
    const outbox = new Outbox();
    const link = new FakeLink();
    let delivered = 0;
    const sender = new OutboxSender(outbox, link, 'gw-1', () => delivered++, silentLogger);
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 1) });
    outbox.add({ kind: 'event', item: anEvent('a', 'Started', 2) });
    outbox.add({ kind: 'podStatus', item: aPodStatus('b', 3) });
    await sender.drain();
    assert.deepEqual(
      link.sent.map((s) => [s.topic, s.items.map((i) => i.observedAt)]),
      [
        ['flotilla/v1/nodes/gw-1/pods/status', [1]],
        ['flotilla/v1/nodes/gw-1/events', [2]],
        ['flotilla/v1/nodes/gw-1/pods/status', [3]],
      ],
    );
    assert.equal(outbox.size, 0);
    assert.equal(delivered, 3);
  });

  it('keeps what was not acknowledged when the connection drops, and resumes in order', async () => {
    const outbox = new Outbox();
    const link = new FakeLink();
    const sender = new OutboxSender(outbox, link, 'gw-1', () => {}, silentLogger);
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 1) });
    outbox.add({ kind: 'event', item: anEvent('a', 'Started', 2) });
    link.dropAt = 1;
    await sender.drain();
    assert.equal(outbox.size, 1);
    link.connected = true;
    link.dropAt = undefined;
    outbox.add({ kind: 'event', item: anEvent('a', 'Killing', 3) });
    await sender.drain();
    assert.deepEqual(
      link.sent.map((s) => s.items.map((i) => i.observedAt)),
      [[1], [2, 3]],
    );
  });

  it('sends nothing while disconnected', async () => {
    const outbox = new Outbox();
    const link = new FakeLink();
    link.connected = false;
    const sender = new OutboxSender(outbox, link, 'gw-1', () => {}, silentLogger);
    outbox.add({ kind: 'podStatus', item: aPodStatus('a', 1) });
    sender.kick();
    await sender.drain();
    assert.deepEqual(link.sent, []);
    assert.equal(outbox.size, 1);
  });
});
