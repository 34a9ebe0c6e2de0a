import assert from 'node:assert/strict';
import { applyDelta, diffDesired, printOf } from '../../../api/mqtt/payloads/desired-delta.js';
import { type DesiredState, protocolVersion } from '../../../api/mqtt/payloads/desired-state.js';
import { routes } from '../../../api/mqtt/route-table.js';
import type { KubeObject } from '../../../api/types.js';

const fingerprint = (obj: KubeObject) => JSON.stringify(obj);

function object(kind: string, name: string, data: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {},
    ...data,
  };
}

function state(revision: number, change: Partial<DesiredState> = {}): DesiredState {
  return {
    protocol: protocolVersion,
    revision,
    node: 'gw-1',
    pods: [],
    configMaps: [],
    secrets: [],
    ...change,
  };
}

describe('desired-state deltas', () => {
  const before = state(10, {
    pods: [object('Pod', 'a'), object('Pod', 'b')],
    configMaps: [object('ConfigMap', 'cfg', { data: { k: '1' } })],
    podCIDR: '10.42.1.0/24',
    segment: 'site-hall-3',
  });
  const after = state(12, {
    pods: [object('Pod', 'b', { spec: { changed: true } }), object('Pod', 'c')],
    configMaps: [object('ConfigMap', 'cfg', { data: { k: '1' } })],
    secrets: [object('Secret', 'pw')],
    podCIDR: '10.42.1.0/24',
    segment: 'site-hall-3',
  });

  it('carries only what changed: objects set whole, removed ones by key, the network only when it moved', () => {
    const delta = diffDesired(printOf(before, fingerprint), after, fingerprint);
    assert.equal(delta.from, 10);
    assert.equal(delta.revision, 12);
    assert.deepEqual(
      delta.set?.pods?.map((p) => p.metadata.name),
      ['b', 'c'],
    );
    assert.deepEqual(delta.removed, { pods: ['default/a'] });
    assert.equal(delta.set?.configMaps, undefined);
    assert.equal(delta.set?.secrets?.length, 1);
    assert.equal(delta.network, undefined);
    assert.ok(routes.desiredDelta.validate(delta).ok);
  });

  it('applied to the state it was made from, gives the new state exactly', () => {
    const delta = diffDesired(printOf(before, fingerprint), after, fingerprint);
    assert.deepEqual(applyDelta(before, delta), after);
    const moved = { ...after, revision: 13, segment: 'site-hall-4' };
    delete (moved as Partial<DesiredState>).podCIDR;
    const networkDelta = diffDesired(printOf(after, fingerprint), moved, fingerprint);
    assert.deepEqual(networkDelta.network, { segment: 'site-hall-4' });
    assert.deepEqual(applyDelta(after, networkDelta), moved);
  });

  it("carries the new state's digest, which replaces the one held, and refuses an overlong one", () => {
    const digested = { ...after, digest: 'after-digest' };
    const delta = diffDesired(
      printOf({ ...before, digest: 'before-digest' }, fingerprint),
      digested,
      fingerprint,
    );
    assert.equal(delta.digest, 'after-digest');
    assert.deepEqual(applyDelta({ ...before, digest: 'before-digest' }, delta), digested);
    const undigested = diffDesired(printOf(before, fingerprint), after, fingerprint);
    assert.equal(applyDelta({ ...before, digest: 'before-digest' }, undigested).digest, undefined);
    const long = routes.desiredDelta.validate({ ...delta, digest: 'x'.repeat(65) });
    assert.match(long.ok ? '' : long.error, /^digest: /);
    const resync = routes.resync.validate({ observedAt: Date.now(), appliedDigest: 'x'.repeat(65) });
    assert.match(resync.ok ? '' : resync.error, /^appliedDigest: /);
  });

  it('of an unchanged state is empty', () => {
    const delta = diffDesired(printOf(after, fingerprint), { ...after, revision: 12 }, fingerprint);
    assert.deepEqual(delta, { protocol: protocolVersion, node: 'gw-1', from: 12, revision: 12 });
  });

  it('refuses a delta going backwards or with a malformed object, naming the field', () => {
    const backwards = routes.desiredDelta.validate({
      protocol: protocolVersion,
      node: 'gw-1',
      from: 5,
      revision: 4,
    });
    assert.match(
      backwards.ok ? '' : backwards.error,
      /^revision: Invalid value: 4: must not be less than from/,
    );
    const bad = routes.desiredDelta.validate({
      protocol: protocolVersion,
      node: 'gw-1',
      from: 5,
      revision: 6,
      set: { pods: [{ metadata: { name: 'x', namespace: 'default' } }] },
      removed: { secrets: 'default/pw' },
    });
    const message = bad.ok ? '' : bad.error;
    assert.match(message, /set\.pods\[0\]\.metadata\.uid: Required value/);
    assert.match(message, /removed\.secrets/);
  });
});
