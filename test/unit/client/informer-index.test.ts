import assert from 'node:assert/strict';
import { silentLogger } from '../../../api/logger.js';
import type { KubeObject } from '../../../api/types.js';
import { Informer } from '../../../hub/client/informer.js';
import { nodeNameOf, podsOnNode } from '../../../hub/controllers/objects/pods-on-node.js';
import { NedbStore } from '../../../hub/store/nedb-store.js';

const pod = (name: string, nodeName?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'x' }] },
});

const names = (objects: KubeObject[]) => objects.map((o) => o.metadata.name).sort();

describe('informer index: pods by node', () => {
  let store: NedbStore;
  beforeEach(async () => {
    store = new NedbStore({ inMemory: true });
    await store.open();
  });
  afterEach(() => store.close());

  it('files what was cached before the index and follows binds, moves and deletes after it', async () => {
    await store.create('pods', pod('a', 'gw-1'));
    await store.create('pods', pod('b'));
    const informer = new Informer(store, 'pods', silentLogger);
    informer.start();
    assert.deepEqual(names(podsOnNode(informer, 'gw-1')), ['a']);
    const b = (await store.get('pods', { namespace: 'default', name: 'b' }))!;
    await store.update('pods', { ...b, spec: { ...(b.spec as object), nodeName: 'gw-1' } });
    await store.create('pods', pod('c', 'gw-2'));
    assert.deepEqual(names(podsOnNode(informer, 'gw-1')), ['a', 'b']);
    const a = (await store.get('pods', { namespace: 'default', name: 'a' }))!;
    await store.update('pods', { ...a, spec: { ...(a.spec as object), nodeName: 'gw-2' } });
    await store.delete('pods', { namespace: 'default', name: 'c' });
    assert.deepEqual(names(podsOnNode(informer, 'gw-1')), ['b']);
    assert.deepEqual(names(podsOnNode(informer, 'gw-2')), ['a']);
    assert.deepEqual(podsOnNode(informer, 'gw-3'), []);
    // The objects are the cache's own, current versions.
    assert.equal(podsOnNode(informer, 'gw-2')[0], informer.get('default/a'));
    informer.stop();
  });

  it('refuses a lookup in an index never added, and leaves unbound pods out', () => {
    const informer = new Informer(store, 'pods', silentLogger);
    assert.throws(() => informer.byIndex('nope', 'x'), /no index nope/);
    assert.equal(nodeNameOf(pod('p')), undefined);
    assert.equal(nodeNameOf({ ...pod('p'), spec: { nodeName: 7 } }), undefined);
  });
});
