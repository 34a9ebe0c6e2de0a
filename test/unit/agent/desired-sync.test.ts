import assert from 'node:assert/strict';
import { encodePayload } from '../../../api/mqtt/codec.js';
import type { DesiredDelta } from '../../../api/mqtt/payloads/desired-delta.js';
import {
  type DesiredState,
  type DesiredStateAck,
  protocolVersion,
  type ResyncRequest,
} from '../../../api/mqtt/payloads/desired-state.js';
import { DesiredSync } from '../../../edge-agent/hub-link/desired-sync.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { aDesiredState } from './agent-builders.js';

function harness(loaded?: DesiredState, saveFails = false) {
  const applied: number[] = [];
  const saved: number[] = [];
  const acks: DesiredStateAck[] = [];
  const logs: string[] = [];
  const resyncs: ResyncRequest[] = [];
  const sync = new DesiredSync(
    {
      nodeName: 'gw-1',
      apply: (state) => applied.push(state.revision),
      store: {
        saveDesired: async (state) => {
          if (saveFails) throw new Error('disk full');
          saved.push(state.revision);
        },
      },
      ack: (ack) => acks.push(ack),
      resync: (request) => resyncs.push(request),
      log: captureLogger(logs).child('hub-link'),
      now: () => 1_000,
    },
    loaded,
  );
  return { sync, applied, saved, acks, logs, resyncs };
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
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(5, ['other']))), 'current');
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
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(9))), 'current');
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(8))), 'stale');
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(10))), 'applied');
    assert.deepEqual(h.applied, [10]);
  });

  it('asks for a resync with the revision it holds, saying why while it doubts', async () => {
    const h = harness();
    assert.deepEqual(h.sync.resyncRequest(), { observedAt: 1_000, reason: 'no desired state yet' });
    await h.sync.receive(encodePayload(aDesiredState(3)));
    assert.deepEqual(h.sync.resyncRequest(), { observedAt: 1_000, appliedRevision: 3, reason: 'connected' });
    // With the hub's digest of what it holds, for a restarted hub to tell it is current.
    await h.sync.receive(encodePayload({ ...aDesiredState(4), digest: 'd4' }));
    assert.deepEqual(h.sync.resyncRequest(), {
      observedAt: 1_000,
      appliedRevision: 4,
      appliedDigest: 'd4',
      reason: 'connected',
    });
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

function aDelta(from: number, revision: number, change: Partial<DesiredDelta> = {}): DesiredDelta {
  return { protocol: protocolVersion, node: 'gw-1', from, revision, ...change };
}

const podNames = (state: DesiredState | undefined) => state?.pods.map((p) => p.metadata.name);

describe('agent desired-state deltas', () => {
  function withStates() {
    const states: DesiredState[] = [];
    const h = harness(aDesiredState(5, ['a']));
    const sync = new DesiredSync(
      {
        nodeName: 'gw-1',
        apply: (state) => states.push(state),
        store: { saveDesired: async () => {} },
        ack: (ack) => h.acks.push(ack),
        resync: (request) => h.resyncs.push(request),
        log: captureLogger(h.logs).child('hub-link'),
        now: () => 1_000,
      },
      aDesiredState(5, ['a']),
    );
    return { ...h, sync, states };
  }

  it('applies deltas in order onto exactly their base, and acknowledges each revision', async () => {
    const h = withStates();
    const b = aDesiredState(0, ['b']).pods;
    assert.equal(await h.sync.receive(encodePayload(aDelta(5, 6, { set: { pods: b } })), 'delta'), 'applied');
    assert.equal(
      await h.sync.receive(encodePayload(aDelta(6, 7, { removed: { pods: ['default/a'] } })), 'delta'),
      'applied',
    );
    assert.deepEqual(h.states.map(podNames), [['a', 'b'], ['b']]);
    assert.deepEqual(
      h.acks.map((a) => a.revision),
      [6, 7],
    );
    assert.equal(h.sync.applied, 7);
  });

  it('changes nothing for a duplicate or late delta; acknowledges the revision it holds again', async () => {
    const h = withStates();
    const b = aDesiredState(0, ['b']).pods;
    await h.sync.receive(encodePayload(aDelta(5, 6, { set: { pods: b } })), 'delta');
    assert.equal(await h.sync.receive(encodePayload(aDelta(5, 6, { set: { pods: b } })), 'delta'), 'current');
    assert.equal(
      await h.sync.receive(encodePayload(aDelta(4, 5, { removed: { pods: ['default/a'] } })), 'delta'),
      'stale',
    );
    assert.deepEqual(h.states.map(podNames), [['a', 'b']]);
    assert.deepEqual(h.resyncs, []);
  });

  it('treats a delta whose base it does not hold as a gap: asks for a resync once, applies nothing', async () => {
    const h = withStates();
    // 6→7 overtook 5→6 (reordering) and another 7→8 follows: one request, nothing applied.
    assert.equal(
      await h.sync.receive(encodePayload(aDelta(6, 7, { removed: { pods: ['default/a'] } })), 'delta'),
      'gap',
    );
    assert.equal(await h.sync.receive(encodePayload(aDelta(7, 8)), 'delta'), 'gap');
    assert.deepEqual(h.states, []);
    assert.equal(h.resyncs.length, 1);
    assert.equal(h.resyncs[0]?.appliedRevision, 5);
    assert.match(h.resyncs[0]?.reason ?? '', /missed revisions: holds 5, got a change from 6/);
    // The late 5→6 still applies in order; the snapshot that answers the resync brings the rest.
    assert.equal(await h.sync.receive(encodePayload(aDelta(5, 6)), 'delta'), 'applied');
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(8, ['c']))), 'applied');
    assert.deepEqual(h.states.map(podNames).at(-1), ['c']);
    assert.deepEqual(h.sync.resyncRequest(), { observedAt: 1_000, appliedRevision: 8, reason: 'connected' });
  });

  it('after a long partition: a far newer delta is a gap, the resync snapshot replaces everything', async () => {
    const h = withStates();
    assert.equal(await h.sync.receive(encodePayload(aDelta(9_120, 9_377)), 'delta'), 'gap');
    // The retained snapshot of before the partition changes nothing; the fresh one applies.
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(4, ['old']))), 'stale');
    assert.equal(await h.sync.receive(encodePayload(aDesiredState(9_377, ['x', 'y']))), 'applied');
    assert.deepEqual(h.states.map(podNames), [['x', 'y']]);
    // Deltas continue from there.
    assert.equal(
      await h.sync.receive(
        encodePayload(aDelta(9_377, 9_380, { removed: { pods: ['default/x'] } })),
        'delta',
      ),
      'applied',
    );
    assert.deepEqual(h.states.map(podNames).at(-1), ['y']);
  });

  it('takes an empty delta at the revision held as the hub confirming it is current', async () => {
    const h = withStates();
    assert.equal(await h.sync.receive(encodePayload(aDelta(5, 5)), 'delta'), 'current');
    assert.deepEqual(h.acks, [{ revision: 5, observedAt: 1_000 }]);
    assert.deepEqual(h.states, []);
  });

  it('with nothing held, any delta is a gap', async () => {
    const h = harness();
    assert.equal(await h.sync.receive(encodePayload(aDelta(3, 4)), 'delta'), 'gap');
    assert.deepEqual(h.resyncs, [
      { observedAt: 1_000, reason: 'missed revisions: holds none, got a change from 3' },
    ]);
  });

  it('replaces the pod network and segment whole when a delta carries them', async () => {
    const h = withStates();
    await h.sync.receive(
      encodePayload(aDelta(5, 6, { network: { podCIDR: '10.42.3.0/24', segment: 'site-hall-3' } })),
      'delta',
    );
    await h.sync.receive(encodePayload(aDelta(6, 7, { network: { podCIDR: '10.42.3.0/24' } })), 'delta');
    assert.equal(h.states[0]?.segment, 'site-hall-3');
    assert.equal(h.states[1]?.segment, undefined);
    assert.equal(h.states[1]?.podCIDR, '10.42.3.0/24');
  });

  it('refuses a desired state of another protocol version with one line, however often it comes', async () => {
    const h = harness(aDesiredState(2));
    const old = { ...aDesiredState(4), protocol: undefined, services: [] };
    assert.equal(await h.sync.receive(encodePayload(old)), 'invalid');
    assert.equal(await h.sync.receive(encodePayload({ ...old, revision: 5 })), 'invalid');
    assert.deepEqual(h.logs, [
      `hub-link: desired state refused: the hub speaks desired-state protocol 1, this agent speaks ${protocolVersion}: upgrade the hub`,
    ]);
    assert.match(h.acks[0]?.error ?? '', /protocol 1/);
    assert.deepEqual(h.applied, []);
  });
});
