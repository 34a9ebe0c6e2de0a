import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import {
  type OwnerState,
  ownerState,
  planDependent,
} from '../../../hub/controllers/garbage-collector/gc-plan.js';
import { OwnerGraph } from '../../../hub/controllers/garbage-collector/owner-graph.js';
import { kindForResource } from '../../../hub/kinds/builtin-kinds.js';

const ref = (uid: string, block = false): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name: uid,
  uid,
  ...(block ? { blockOwnerDeletion: true } : {}),
});
const owners = (...states: OwnerState[]) => states.map((state, i) => ({ ref: ref(`o${i}`), state }));
const facts = (states: OwnerState[], extra: Partial<Parameters<typeof planDependent>[0]> = {}) =>
  planDependent({
    owners: owners(...states),
    finalizers: [],
    hasDependents: false,
    dependentDeletingDependents: false,
    ...extra,
  });

describe('garbage collection decisions', () => {
  it('classifies owners as solid, dangling or waiting', () => {
    const live: KubeObject = { metadata: { uid: 'o0' } };
    assert.equal(ownerState(live, ref('o0')), 'solid');
    assert.equal(ownerState(undefined, ref('o0')), 'dangling');
    assert.equal(
      ownerState({ metadata: { uid: 'someone-else' } }, ref('o0')),
      'dangling',
      'a namesake is not the owner',
    );
    const waiting = { metadata: { uid: 'o0', deletionTimestamp: 'x', finalizers: ['foregroundDeletion'] } };
    assert.equal(ownerState(waiting, ref('o0')), 'waiting');
    const going = { metadata: { uid: 'o0', deletionTimestamp: 'x', finalizers: ['example.com/hold'] } };
    assert.equal(ownerState(going, ref('o0')), 'solid', 'background deletion in progress keeps dependents');
  });

  it('keeps an object with a solid owner, dropping references to gone and waiting owners', () => {
    assert.deepEqual(facts(['solid']), { type: 'keep' });
    assert.deepEqual(facts(['solid', 'dangling', 'waiting']), {
      type: 'removeOwnerRefs',
      uids: ['o1', 'o2'],
    });
  });

  it('deletes an object whose owners are all gone, in the background', () => {
    assert.deepEqual(facts(['dangling']), { type: 'delete', policy: 'Background', unblock: [] });
  });

  it('honours a propagation policy already requested on the object', () => {
    assert.deepEqual(facts(['dangling'], { finalizers: ['orphan'] }), {
      type: 'delete',
      policy: 'Orphan',
      unblock: [],
    });
    assert.deepEqual(facts(['dangling'], { finalizers: ['foregroundDeletion'] }), {
      type: 'delete',
      policy: 'Foreground',
      unblock: [],
    });
  });

  it('cascades a foreground deletion to objects that have dependents of their own', () => {
    assert.deepEqual(facts(['waiting'], { hasDependents: true }), {
      type: 'delete',
      policy: 'Foreground',
      unblock: [],
    });
    assert.deepEqual(facts(['waiting']), { type: 'delete', policy: 'Background', unblock: [] });
    assert.deepEqual(facts(['waiting'], { hasDependents: true, dependentDeletingDependents: true }), {
      type: 'delete',
      policy: 'Foreground',
      unblock: ['o0'],
    });
  });

  it('leaves objects without owners alone', () => {
    assert.deepEqual(facts([]), { type: 'keep' });
  });
});

describe('ownership graph', () => {
  const rsInfo = kindForResource('apps', 'v1', 'replicasets')!.info;
  const podInfo = kindForResource('', 'v1', 'pods')!.info;
  const obj = (
    uid: string,
    refs: OwnerReference[] = [],
    extra: Partial<KubeObject['metadata']> = {},
  ): KubeObject => ({
    metadata: { uid, name: uid, namespace: 'default', ownerReferences: refs, ...extra },
  });

  it('indexes dependents by owner uid, even before the owner is seen', () => {
    const graph = new OwnerGraph();
    graph.upsert(podInfo, obj('p1', [ref('rs1', true)]));
    graph.upsert(podInfo, obj('p2', [ref('rs1')]));
    assert.deepEqual(
      graph
        .dependents('rs1')
        .map((n) => n.uid)
        .sort(),
      ['p1', 'p2'],
    );
    assert.deepEqual(
      graph.blockingDependents('rs1').map((n) => n.uid),
      ['p1'],
    );
    graph.upsert(rsInfo, obj('rs1'));
    assert.equal(graph.node('rs1')?.info.kind, 'ReplicaSet');
  });

  it('reports first sight, changed owners and the start of a deletion', () => {
    const graph = new OwnerGraph();
    const first = graph.upsert(podInfo, obj('p1', [ref('a')]))!;
    assert.ok(first.ownersChanged);
    assert.deepEqual(first.ownersTouched, ['a']);
    const same = graph.upsert(podInfo, obj('p1', [ref('a')]))!;
    assert.ok(!same.ownersChanged);
    const moved = graph.upsert(podInfo, obj('p1', [ref('b')]))!;
    assert.deepEqual(moved.ownersTouched.sort(), ['a', 'b']);
    assert.deepEqual(graph.dependents('a'), []);
    const deleting = graph.upsert(podInfo, obj('p1', [ref('b')], { deletionTimestamp: 'now' }))!;
    assert.ok(deleting.startedDeleting);
  });

  it('forgets a removed object but keeps its dependents indexed under its uid', () => {
    const graph = new OwnerGraph();
    graph.upsert(rsInfo, obj('rs1'));
    graph.upsert(podInfo, obj('p1', [ref('rs1')]));
    graph.remove('rs1');
    assert.equal(graph.node('rs1'), undefined);
    assert.deepEqual(
      graph.dependents('rs1').map((n) => n.uid),
      ['p1'],
    );
    graph.remove('p1');
    assert.deepEqual(graph.dependents('rs1'), []);
  });
});
