import assert from 'node:assert/strict';
import { authorize } from '../../../api/rbac/authorize.js';
import { RbacCache } from '../../../hub/apiserver/auth/rbac-cache.js';
import { NedbStore } from '../../../hub/store/nedb-store.js';

const group = 'rbac.authorization.k8s.io';
const alice = { name: 'alice', groups: ['system:authenticated'] };
const listPods = { verb: 'list', apiGroup: '', resource: 'pods', namespace: 'team-a' };

describe('RBAC cache', () => {
  let store: NedbStore;
  let cache: RbacCache;
  beforeEach(async () => {
    store = new NedbStore({ inMemory: true });
    await store.open();
    await store.create(`${group}/clusterroles`, {
      apiVersion: `${group}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'view' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
    });
    cache = new RbacCache(store);
  });
  afterEach(async () => {
    cache.stop();
    await store.close();
  });

  const binding = {
    apiVersion: `${group}/v1`,
    kind: 'RoleBinding',
    metadata: { name: 'alice-view', namespace: 'team-a' },
    roleRef: { apiGroup: group, kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: group, kind: 'User', name: 'alice' }],
  };

  it('starts with what is stored and follows every write at once', async () => {
    assert.equal(authorize(alice, listPods, cache).allowed, false);
    await store.create(`${group}/rolebindings`, binding);
    assert.equal(authorize(alice, listPods, cache).allowed, true);
    assert.equal(authorize(alice, { ...listPods, namespace: 'team-b' }, cache).allowed, false);
    await store.delete(`${group}/rolebindings`, { namespace: 'team-a', name: 'alice-view' });
    assert.equal(authorize(alice, listPods, cache).allowed, false);
  });

  it('sees a role change and a role deleted under a binding', async () => {
    await store.create(`${group}/rolebindings`, binding);
    const view = (await store.get(`${group}/clusterroles`, { name: 'view' }))!;
    await store.update(`${group}/clusterroles`, {
      ...view,
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    });
    assert.equal(authorize(alice, listPods, cache).allowed, false);
    assert.equal(authorize(alice, { ...listPods, verb: 'get' }, cache).allowed, true);
    await store.delete(`${group}/clusterroles`, { name: 'view' });
    assert.deepEqual(authorize(alice, { ...listPods, verb: 'get' }, cache), {
      allowed: false,
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "view" not found',
    });
  });
});
