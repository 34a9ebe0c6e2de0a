import assert from 'node:assert/strict';
import type { Pod } from '../../../hub/controllers/objects/kinds.js';
import { podsToDelete } from '../../../hub/controllers/replicaset/pod-deletion-rank.js';
import { aPodOf, t0 } from './workload-builders.js';

// An hour after t0: ages of seconds and of tens of minutes fall in different log2 buckets.
const now = new Date(t0 + 3600_000);
const firstOut = (pods: Pod[], related: Pod[] = pods) =>
  podsToDelete(pods, related, pods.length - 1, now).map((p) => p.metadata.name);

describe('which surplus pods go first', () => {
  it('unscheduled before scheduled', () => {
    const pods = [aPodOf('bound', { node: 'n1' }), aPodOf('unbound')];
    assert.deepEqual(firstOut(pods), ['unbound']);
  });

  it('pending before unknown before running', () => {
    const pods = [
      aPodOf('running', { node: 'n1', phase: 'Running' }),
      aPodOf('unknown', { node: 'n1', phase: 'Unknown' }),
      aPodOf('pending', { node: 'n1', phase: 'Pending' }),
    ];
    assert.deepEqual(firstOut(pods), ['pending', 'unknown']);
  });

  it('not ready before ready', () => {
    const pods = [
      aPodOf('ready', { node: 'n1', readySince: 0 }),
      aPodOf('starting', { node: 'n1', phase: 'Running' }),
    ];
    assert.deepEqual(firstOut(pods), ['starting']);
  });

  it('a lower pod-deletion-cost first', () => {
    const pods = [
      aPodOf('dear', { node: 'n1', readySince: 0, cost: 100 }),
      aPodOf('cheap', { node: 'n1', readySince: 0, cost: -5 }),
    ];
    assert.deepEqual(firstOut(pods), ['cheap']);
  });

  it('doubled-up pods before ones alone on their node', () => {
    const a = aPodOf('alone', { node: 'n1', readySince: 0 });
    const b = aPodOf('crowded', { node: 'n2', readySince: 0 });
    const sibling = aPodOf('sibling', { node: 'n2', readySince: 0 });
    assert.deepEqual(
      podsToDelete([a, b], [a, b, sibling], 1, now).map((p) => p.metadata.name),
      ['crowded'],
    );
  });

  it('ready for a shorter time before ready for longer', () => {
    const pods = [
      aPodOf('veteran', { node: 'n1', readySince: 10 }),
      aPodOf('rookie', { node: 'n1', readySince: 3590 }),
    ];
    assert.deepEqual(firstOut(pods), ['rookie']);
  });

  it('more restarts before fewer', () => {
    const pods = [
      aPodOf('steady', { node: 'n1', readySince: 10 }),
      aPodOf('flaky', { node: 'n1', readySince: 10, restarts: 4 }),
    ];
    assert.deepEqual(firstOut(pods), ['flaky']);
  });

  it('younger before older', () => {
    const pods = [aPodOf('old', { node: 'n1', created: 0 }), aPodOf('young', { node: 'n1', created: 3595 })];
    assert.deepEqual(firstOut(pods), ['young']);
  });

  it('ages in the same power-of-two bucket tie, broken by uid', () => {
    const pods = [
      aPodOf('b', { node: 'n1', created: 3000, uid: 'uid-2' }),
      aPodOf('a', { node: 'n1', created: 2990, uid: 'uid-1' }),
    ];
    assert.deepEqual(firstOut(pods), ['a'], 'the older pod goes: same bucket, smaller uid');
  });

  it('applies the criteria in order: an unscheduled ready pod goes before a scheduled pending one', () => {
    const pods = [
      aPodOf('scheduled-pending', { node: 'n1' }),
      aPodOf('unscheduled-ready', { readySince: 0 }),
    ];
    assert.deepEqual(firstOut(pods), ['unscheduled-ready']);
  });

  it('returns every pod when asked for as many or more', () => {
    const pods = [aPodOf('a'), aPodOf('b')];
    assert.equal(podsToDelete(pods, pods, 5, now).length, 2);
  });
});
