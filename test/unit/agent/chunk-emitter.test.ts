import assert from 'node:assert/strict';
import { inputAckBytes } from '../../../api/mqtt/payloads/requests.js';
import { chunkEmitter, inFlightLimitBytes } from '../../../edge-agent/hub-link/chunk-emitter.js';

/** A send whose acknowledgements the test releases, oldest first. */
function slowLink() {
  const waiting: Array<() => void> = [];
  let sent = 0;
  return {
    send: () => {
      sent += 1;
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    ack: async (count: number) => {
      for (const resolve of waiting.splice(0, count)) resolve();
      await new Promise((r) => setImmediate(r));
    },
    sent: () => sent,
  };
}

describe('agent stream output: chunks and flow control', () => {
  it('pauses the source while more than the limit waits for the broker, resumes at half', async () => {
    const link = slowLink();
    const emitter = chunkEmitter(link.send, 60_000);
    const events: string[] = [];
    emitter.throttle({ pause: () => events.push('pause'), resume: () => events.push('resume') });
    const eightKiB = Buffer.alloc(8 * 1024, 0x61);
    const chunks = inFlightLimitBytes / eightKiB.length + 1;
    for (let i = 0; i < chunks; i++) emitter.output('data', eightKiB);
    assert.equal(link.sent(), chunks, 'nothing is dropped or held back: the source is what stops');
    assert.deepEqual(events, ['pause']);
    await link.ack(chunks / 4);
    assert.deepEqual(events, ['pause'], 'still above half the limit');
    await link.ack(chunks);
    assert.deepEqual(events, ['pause', 'resume']);
    assert.equal(emitter.inFlight(), 0);
    emitter.stop();
  });

  it('pauses a source that is attached while the limit is already exceeded', () => {
    const link = slowLink();
    const emitter = chunkEmitter(link.send, 60_000);
    emitter.output('data', Buffer.alloc(inFlightLimitBytes + 1, 0x62));
    let paused = false;
    emitter.throttle({
      pause: () => {
        paused = true;
      },
    });
    assert.equal(paused, true);
    emitter.stop();
  });

  it('counts a failed publish as no longer in flight (the link dropped)', async () => {
    const emitter = chunkEmitter(() => Promise.reject(new Error('not connected')), 60_000);
    const events: string[] = [];
    emitter.throttle({ pause: () => events.push('pause'), resume: () => events.push('resume') });
    emitter.output('data', Buffer.alloc(inFlightLimitBytes + 1, 0x63));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, ['pause', 'resume']);
    assert.equal(emitter.inFlight(), 0);
    emitter.stop();
  });

  it('acknowledges input to the hub each time another inputAckBytes left the agent', async () => {
    const sent: Array<Record<string, unknown>> = [];
    const emitter = chunkEmitter(async (fields) => {
      sent.push(fields);
    }, 60_000);
    emitter.consumed(inputAckBytes - 1);
    assert.deepEqual(sent, []);
    emitter.consumed(1);
    emitter.consumed(inputAckBytes / 2);
    emitter.consumed(inputAckBytes / 2);
    assert.deepEqual(sent, [{ inputBytes: inputAckBytes }, { inputBytes: 2 * inputAckBytes }]);
    emitter.stop();
  });
});
