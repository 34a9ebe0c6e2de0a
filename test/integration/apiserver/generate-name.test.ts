// A generated name that is already taken is generated again (kube-apiserver's RetryGenerateName):
// at 50,000 pods the 27^5 suffixes collide dozens of times, and each collision used to fail the
// create (a ReplicaSet stopped its slow-start batch on it).
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import type { Store } from '../../../hub/store/store.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

describe('API server: generateName', () => {
  let t: TestHub;
  /** Creates of pods that find their name taken: someone else stores that name first. */
  let squat = 0;

  before(async () => {
    t = await startTestHub();
    const store: Store = t.hub.registry.store;
    const create = store.create.bind(store);
    store.create = async (resource, obj, ...rest) => {
      if (resource === 'pods' && squat > 0) {
        squat--;
        await create(resource, {
          ...structuredClone(obj),
          metadata: { ...obj.metadata, uid: `squatter-${squat}` },
        });
      }
      return create(resource, obj, ...rest);
    };
  });
  after(async () => {
    await t.close();
  });

  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: 'web-' },
    spec: { containers: [{ name: 'main', image: 'docker.io/library/busybox:1.36' }] },
  };
  const names = async () =>
    ((await t.api.get('/api/v1/namespaces/default/pods')).json().items as KubeObject[]).map(
      (p) => p.metadata.name!,
    );

  it('generates another name when the first ones are taken', async () => {
    squat = 3;
    const res = await t.api.post('/api/v1/namespaces/default/pods', pod);
    assert.equal(res.status, 201, res.text);
    const created = res.json().metadata.name as string;
    assert.match(created, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const all = await names();
    assert.equal(all.length, 4, 'three squatters and the new pod');
    assert.equal(new Set(all).size, 4);
    assert.ok(all.includes(created));
  });

  it('gives up with 409 AlreadyExists after 8 taken names', async () => {
    squat = 8;
    const res = await t.api.post('/api/v1/namespaces/default/pods', pod);
    assert.equal(res.status, 409, res.text);
    assert.equal(res.json().reason, 'AlreadyExists');
    assert.equal((await names()).length, 4 + 8);
  });
});
