import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { type AdmissionOptions, ConnectAdmission } from '../../../hub/broker/connect-admission.js';

/** What the admission uses of a socket: its peer address, 'close', destroy(). */
class FakeSocket extends EventEmitter {
  destroyed = false;
  constructor(
    readonly name: string,
    readonly remoteAddress = '10.0.0.1',
  ) {
    super();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
}

/** An admission whose clock the test moves, recording what it started and each start's release. */
function anAdmission(options: Partial<AdmissionOptions> = {}) {
  let clock = 0;
  const admission = new ConnectAdmission(
    { maxConnecting: 2, maxSlotMs: 60_000, maxWaitMs: 20_000, ...options },
    () => clock,
  );
  const started: string[] = [];
  const releases = new Map<string, () => void>();
  const offer = (socket: FakeSocket) =>
    admission.offer(socket as unknown as Socket, (release) => {
      started.push(socket.name);
      releases.set(socket.name, release);
    });
  return {
    admission,
    started,
    release: (name: string) => releases.get(name)!(),
    offer,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('ConnectAdmission: a few connections set up at a time', () => {
  it('starts at most maxConnecting at once and the next waiting one when a slot frees', () => {
    const a = anAdmission();
    for (const name of ['c1', 'c2', 'c3', 'c4']) a.offer(new FakeSocket(name));
    assert.deepEqual(a.started, ['c1', 'c2']);
    assert.equal(a.admission.inProgress, 2);
    assert.equal(a.admission.queued, 2);
    a.release('c1');
    assert.deepEqual(a.started, ['c1', 'c2', 'c3']);
    a.release('c1'); // a second release of the same slot frees nothing
    assert.deepEqual(a.started, ['c1', 'c2', 'c3']);
    assert.equal(a.admission.inProgress, 2);
  });

  it('frees the slot of a connection that closes before its CONNACK', () => {
    const a = anAdmission({ maxConnecting: 1 });
    const first = new FakeSocket('c1');
    a.offer(first);
    a.offer(new FakeSocket('c2'));
    first.destroy();
    assert.deepEqual(a.started, ['c1', 'c2']);
  });

  it('takes the sources in turn: a host opening many connections delays another by one turn', () => {
    const a = anAdmission({ maxConnecting: 1 });
    for (let i = 1; i <= 4; i++) a.offer(new FakeSocket(`flood${i}`, '10.9.9.9'));
    a.offer(new FakeSocket('gateway', '10.0.0.7'));
    a.release('flood1');
    a.release('flood2');
    a.release('gateway');
    assert.deepEqual(a.started, ['flood1', 'flood2', 'gateway', 'flood3']);
  });

  it('closes a connection that waited longer than maxWaitMs without starting it, and starts the next', () => {
    const a = anAdmission({ maxConnecting: 1, maxWaitMs: 1_000 });
    a.offer(new FakeSocket('c1'));
    const stale = new FakeSocket('stale');
    a.offer(stale);
    a.advance(1_500);
    const fresh = new FakeSocket('fresh');
    a.offer(fresh);
    a.release('c1');
    assert.deepEqual(a.started, ['c1', 'fresh']);
    assert.equal(stale.destroyed, true);
    assert.equal(fresh.destroyed, false);
    assert.deepEqual(a.admission.counters, { admitted: 2, shed: 1 });
  });

  it('skips a connection that closed while it waited', () => {
    const a = anAdmission({ maxConnecting: 1 });
    a.offer(new FakeSocket('c1'));
    const gone = new FakeSocket('gone');
    a.offer(gone);
    a.offer(new FakeSocket('c3'));
    gone.destroy();
    a.release('c1');
    assert.deepEqual(a.started, ['c1', 'c3']);
    assert.equal(a.admission.queued, 0);
  });

  it('frees a slot after maxSlotMs even if the connection never gets to CONNACK', async () => {
    const a = anAdmission({ maxConnecting: 1, maxSlotMs: 30 });
    a.offer(new FakeSocket('silent'));
    a.offer(new FakeSocket('next'));
    assert.deepEqual(a.started, ['silent']);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(a.started, ['silent', 'next']);
  });

  it('closes a connection whose start throws and goes on with the next', () => {
    const admission = new ConnectAdmission({ maxConnecting: 1, maxSlotMs: 60_000, maxWaitMs: 20_000 });
    const broken = new FakeSocket('broken');
    const started: string[] = [];
    admission.offer(broken as unknown as Socket, () => {
      throw new Error('no TLS context');
    });
    admission.offer(new FakeSocket('next') as unknown as Socket, () => started.push('next'));
    assert.equal(broken.destroyed, true);
    assert.deepEqual(started, ['next']);
  });

  it('keeps arrival order within one source over many connections', () => {
    const a = anAdmission({ maxConnecting: 1 });
    for (let i = 0; i < 3_000; i++) a.offer(new FakeSocket(`c${i}`));
    for (let i = 0; i < 2_999; i++) a.release(`c${i}`);
    assert.equal(a.started.length, 3_000);
    assert.ok(a.started.every((name, i) => name === `c${i}`));
  });
});
