// ReplicationControllers run through the ReplicaSet controller's logic: pods from the template,
// owner references the garbage collector follows, status counts, and the scale subresource.
import assert from 'node:assert/strict';
import { ReplicaSetController } from '../../../hub/controllers/replicaset/replicaset-controller.js';
import { replicationControllers as rcKind } from '../../../hub/controllers/replicaset/replicated-kinds.js';
import { aPod, aReplicationController } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import {
  freshNamespace,
  get,
  list,
  markReady,
  pods,
  settles,
  startWorkloadHub,
  type WorkloadHub,
} from './workload-hub.js';

const rcs = { group: '', resource: 'replicationcontrollers' };

describe('ReplicationController controller', () => {
  let w: WorkloadHub;
  let ns: string;
  before(async () => {
    w = await startWorkloadHub([(ctx) => new ReplicaSetController(ctx, rcKind)]);
  });
  after(async () => {
    await w.close();
  });
  beforeEach(async () => {
    ns = await freshNamespace(w.registry);
  });

  const createRC = (replicas: number) => {
    const rc = aReplicationController();
    rc.metadata.namespace = ns;
    rc.spec.replicas = replicas;
    return w.registry.for(rcs).create(ns, rc);
  };
  const podsOf = async () => (await list(w.registry, pods, ns)).filter((p) => !p.metadata.deletionTimestamp);

  it('keeps spec.replicas pods that carry its selector, each owned by it, and counts them in status', async () => {
    const rc = await createRC(3);
    await eventually(async () => (await podsOf()).length === 3);
    for (const pod of await podsOf()) {
      assert.match(pod.metadata.name, /^web-rc-[a-z0-9]{5}$/);
      assert.deepEqual(pod.metadata.ownerReferences, [
        {
          apiVersion: 'v1',
          kind: 'ReplicationController',
          name: 'web-rc',
          uid: rc.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    for (const pod of (await podsOf()).slice(0, 2)) await markReady(w.registry, pod);
    await settles(async () => {
      assert.deepEqual((await get(w.registry, rcs, ns, 'web-rc')).status, {
        replicas: 3,
        fullyLabeledReplicas: 3,
        readyReplicas: 2,
        availableReplicas: 2,
        observedGeneration: 1,
      });
    });
  });

  it('adopts an orphan carrying every label of its selector, and leaves one that lacks one', async () => {
    const matching = aPod('matching');
    matching.metadata.namespace = ns;
    matching.metadata.labels = { app: 'web', extra: 'yes' };
    const partial = aPod('partial');
    partial.metadata.namespace = ns;
    partial.metadata.labels = { tier: 'web' };
    await w.registry.for(pods).create(ns, matching);
    await w.registry.for(pods).create(ns, partial);
    const rc = await createRC(1);
    await settles(async () => {
      const adopted = await get(w.registry, pods, ns, 'matching');
      assert.equal(adopted.metadata.ownerReferences?.[0]?.uid, rc.metadata.uid);
    });
    assert.equal((await podsOf()).length, 2, 'no new pod: the orphan counts');
    assert.equal((await get(w.registry, pods, ns, 'partial')).metadata.ownerReferences, undefined);
  });

  it('scales through the scale subresource, which reports its selector as k=v', async () => {
    await createRC(1);
    await eventually(async () => (await podsOf()).length === 1);
    const path = `/api/v1/namespaces/${ns}/replicationcontrollers/web-rc/scale`;
    const patched = await w.t.api.send(
      'PATCH',
      path,
      { spec: { replicas: 4 } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json().spec.replicas, 4);
    await eventually(async () => (await podsOf()).length === 4);
    await settles(async () => {
      const scale = (await w.t.api.send('GET', path)).json();
      assert.deepEqual(scale.status, { replicas: 4, selector: 'app=web' });
    });
  });

  it('leaves its pods to the garbage collector when deleted', async () => {
    await createRC(2);
    await eventually(async () => (await podsOf()).length === 2);
    await w.registry.for(rcs).delete(ns, 'web-rc', { dryRun: false, propagationPolicy: 'Background' });
    await eventually(async () => (await list(w.registry, pods, ns)).length === 0);
  });
});
