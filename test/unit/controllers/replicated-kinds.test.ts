import assert from 'node:assert/strict';
import { selectorMatcher } from '../../../hub/controllers/objects/controller-ref-manager.js';
import {
  refersTo,
  replicaSets,
  replicationControllers,
} from '../../../hub/controllers/replicaset/replicated-kinds.js';
import { aReplicationController } from '../../helpers/builders.js';

describe('Kinds the ReplicaSet logic runs', () => {
  it('reads a ReplicationController selector map as matchLabels, every label required', () => {
    const rc = aReplicationController();
    rc.spec.selector = { app: 'web', tier: 'front' };
    const matches = selectorMatcher(replicationControllers.view(Object.freeze(rc)).spec.selector);
    assert.equal(matches({ app: 'web', tier: 'front', extra: 'x' }), true);
    assert.equal(matches({ app: 'web' }), false);
    assert.deepEqual(rc.spec.selector, { app: 'web', tier: 'front' }, 'the cached object is not changed');
  });

  it('makes an empty selector map select nothing rather than every pod', () => {
    const rc = aReplicationController();
    rc.spec.selector = {};
    assert.equal(selectorMatcher(replicationControllers.view(rc).spec.selector)({ app: 'web' }), false);
  });

  it('tells owner references of each kind apart by kind and group', () => {
    assert.equal(refersTo(replicationControllers, { apiVersion: 'v1', kind: 'ReplicationController' }), true);
    assert.equal(refersTo(replicaSets, { apiVersion: 'apps/v1', kind: 'ReplicaSet' }), true);
    assert.equal(refersTo(replicaSets, { apiVersion: 'extensions/v1beta1', kind: 'ReplicaSet' }), false);
    assert.equal(refersTo(replicationControllers, { apiVersion: 'v1', kind: 'ReplicaSet' }), false);
  });
});
