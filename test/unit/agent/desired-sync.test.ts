import assert from 'node:assert/strict';
import { encodePayload } from '../../../api/mqtt/codec.js';
import type { DesiredState, DesiredStateAck } from '../../../api/mqtt/payloads/desired-state.js';
import { DesiredSync } from '../../../edge-agent/hub-link/desired-sync.js';
import { aDesiredState } from './agent-builders.js';

function harness(loaded?: DesiredState, saveFails = false) {
  const applied: number[] = [];
  const saved: number[] = [];
  const acks: DesiredStateAck[] = [];
  const logs: string[] = [];
  const sync = new DesiredSync(
    {
      nodeName: 'gw-1',
      podManager: { setDesired: (state) => applied.push(state.revision) },
      store: {
        saveDesired: async (state) => {
          if (saveFails) throw new Error('disk full');
          saved.push(state.revision);
        },
      },
      ack: (ack) => acks.push(ack),
      log: (line) => logs.push(line),
      now: () => 1_000,
    },
    loaded,
  );
  return { sync, applied, saved, acks, logs };
}

describe('agent desired-state sync', () => {
  it('applies a newer revision: keeps it, hands it to the pod manager, acknowledges it', async () => {
    const h = harness();
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(5))), 'applied');
    assert.deepEqual(h.saved, [5]);
    assert.deepEqual(h.applied, [5]);
    assert.deepEqual(h.acks, [{ revision: 5, observedAt: 1_000 }]);
    assert.equal(h.sync.applied, 5);
  });

  it('changes nothing for a duplicate, only acknowledges it again', async () => {
    const h = harness();
    await h.sync.receive(encodePayload(aDesiredState(5)));
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(5, ['other']))), 'duplicate');
    assert.deepEqual(h.applied, [5]);
    assert.deepEqual(h.saved, [5]);
    assert.equal(h.acks.length, 2);
  });

  it('ignores an older revision that arrives late', async () => {
    const h = harness();
    const newer = h.sync.receive(encodePayload(aDesiredState(7)));
    const older = h.sync.receive(encodePayload(aDesiredState(6)));
    assert.deepEqual(await Promise.all([newer, older]), ['applied', 'stale']);
    assert.deepEqual(h.applied, [7]);
    assert.deepEqual(
      h.acks.map((a) => a.revision),
      [7],
    );
  });

  it('starts from the revision loaded from local state', async () => {
    const h = harness(aDesiredState(9));
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(9))), 'duplicate');
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(8))), 'stale');
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(10))), 'applied');
    assert.deepEqual(h.applied, [10]);
  });

  it('asks for a resync while it holds no desired state, and stops once one is applied', async () => {
    const h = harness();
    assert.deepEqual(h.sync.resyncRequest(), { observedAt: 1_000, reason: 'no desired state yet' });
    await h.sync.receive(encodePayload(aDesiredState(3)));
    assert.equal(h.sync.resyncRequest(), undefined);
    assert.equal(harness(aDesiredState(2)).sync.resyncRequest(), undefined);
  });

  it('refuses an invalid desired state with an error ack and doubts what it holds', async () => {
    const h = harness(aDesiredState(2));
    const bad = { ...aDesiredState(4), pods: [{ metadata: { name: 'x' } }] };
    assert.equal(await h.sync.receive(encodePayload(bad)), 'invalid');
    assert.deepEqual(h.applied, []);
    assert.equal(h.acks[0]?.revision, 4);
    assert.match(h.acks[0]?.error ?? '', /^pods\[0\]\.metadata\.namespace: Required value/);
    assert.deepEqual(h.sync.resyncRequest(), {
      observedAt: 1_000,
      appliedRevision: 2,
      reason: 'a desired state failed validation',
    });
  });

  it("ignores another node's desired state and a cleared retained message", async () => {
    const h = harness();
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(3, [], 'gw-2'))), 'other-node');
    assert.equal(await h.sync.receive(Buffer.alloc(0)), 'cleared');
    assert.deepEqual(h.applied, []);
  });

  it('still applies and acknowledges when local state cannot be written', async () => {
    const h = harness(undefined, true);
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(5))), 'applied');
    assert.deepEqual(h.applied, [5]);
    assert.match(h.logs[0] ?? '', /desired state 5 not kept in local state: disk full/);
  });
});
