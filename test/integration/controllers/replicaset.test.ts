import assert from 'node:assert/strict';
import { aPod, aReplicaSet } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import {
  freshNamespace,
  get,
  list,
  markReady,
  pods,
  replicaSets,
  settles,
  startWorkloadHub,
  type WorkloadHub,
} from './workload-hub.js';

describe('ReplicaSet controller', () => {
  let w: WorkloadHub;
  let ns: string;
  before(async () => {
    w = await startWorkloadHub();
  });
  after(async () => {
    await w.close();
  });
  beforeEach(async () => {
    ns = await freshNamespace(w.registry);
  });

  const createRS = (replicas: number, name = 'web-rs') => {
    const rs = aReplicaSet(name);
    rs.metadata.namespace = ns;
    rs.spec.replicas = replicas;
    return w.registry.for(replicaSets).create(ns, rs);
  };
  const podsOf = async () => (await list(w.registry, pods, ns)).filter((p) => !p.metadata.deletionTimestamp);

  it('creates spec.replicas pods from the template, each controlled by the ReplicaSet', async () => {
    const rs = await createRS(3);
    await eventually(async () => (await podsOf()).length === 3);
    for (const pod of await podsOf()) {
      assert.match(pod.metadata.name, /^web-rs-[a-z0-9]{5}$/);
      assert.deepEqual(pod.metadata.labels, { app: 'web' });
      const [ref] = pod.metadata.ownerReferences;
      assert.deepEqual(ref, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web-rs',
        uid: rs.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      });
    }
    await settles(async () => {
      const status = (await get(w.registry, replicaSets, ns, 'web-rs')).status;
      assert.deepEqual(status, {
        replicas: 3,
        fullyLabeledReplicas: 3,
        readyReplicas: 0,
        availableReplicas: 0,
        observedGeneration: 1,
      });
    });
  });

  it('counts ready pods as ready and available', async () => {
    await createRS(2);
    await eventually(async () => (await podsOf()).length === 2);
    for (const pod of await podsOf()) await markReady(w.registry, pod);
    await settles(async () => {
      const status = (await get(w.registry, replicaSets, ns, 'web-rs')).status;
      assert.equal(status.readyReplicas, 2);
      assert.equal(status.availableReplicas, 2);
    });
  });

  it('scales down, deleting not-ready pods before ready ones', async () => {
    await createRS(3);
    await eventually(async () => (await podsOf()).length === 3);
    const [keep] = await podsOf();
    await markReady(w.registry, keep!);
    await w.registry
      .for(replicaSets)
      .modify(ns, 'web-rs', (rs: any) => ({ ...rs, spec: { ...rs.spec, replicas: 1 } }));
    await eventually(async () => (await podsOf()).length === 1);
    assert.equal((await podsOf())[0]!.metadata.name, keep!.metadata.name);
    await eventually(
      async () => (await get(w.registry, replicaSets, ns, 'web-rs')).status.observedGeneration === 2,
    );
  });

  it('adopts a matching orphan instead of creating a pod, and releases a pod that stops matching', async () => {
    const orphan = aPod('orphan');
    orphan.metadata.namespace = ns;
    orphan.metadata.labels = { app: 'web' };
    await w.registry.for(pods).create(ns, orphan);
    const rs = await createRS(1);
    await settles(async () => {
      const adopted = await get(w.registry, pods, ns, 'orphan');
      assert.equal(adopted.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid);
    });
    assert.equal((await podsOf()).length, 1);
    await w.registry
      .for(pods)
      .modify(ns, 'orphan', (p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'other' } } }));
    await settles(async () => {
      const released = await get(w.registry, pods, ns, 'orphan');
      assert.equal(released.metadata.ownerReferences, undefined);
      assert.equal((await podsOf()).length, 2, 'a replacement was created');
    });
  });

  it('replaces a pod that is deleted', async () => {
    await createRS(2);
    await eventually(async () => (await podsOf()).length === 2);
    const [victim] = await podsOf();
    await w.registry.for(pods).delete(ns, victim!.metadata.name, { dryRun: false });
    await eventually(async () => {
      const names = (await podsOf()).map((p) => p.metadata.name);
      return names.length === 2 && !names.includes(victim!.metadata.name);
    });
  });

  it('reports ReplicaFailure while pods cannot be created, and clears it once they can', async () => {
    const rs = aReplicaSet('bad');
    rs.metadata.namespace = ns;
    rs.spec.replicas = 2;
    // Accepted in a template, refused in a pod: an image with surrounding blanks.
    rs.spec.template.spec.containers[0].image = ' nginx:1.27 ';
    await w.registry.for(replicaSets).create(ns, rs);
    await settles(async () => {
      const status = (await get(w.registry, replicaSets, ns, 'bad')).status ?? {};
      const failure = (status.conditions ?? []).find((c: any) => c.type === 'ReplicaFailure');
      assert.equal(failure?.status, 'True');
      assert.equal(failure?.reason, 'FailedCreate');
      assert.match(failure?.message, /image/);
    });
    await w.registry.for(replicaSets).modify(ns, 'bad', (current: any) => {
      current.spec.template.spec.containers[0].image = 'nginx:1.27';
      return current;
    });
    await settles(async () => {
      const status = (await get(w.registry, replicaSets, ns, 'bad')).status ?? {};
      assert.equal(status.replicas, 2);
      assert.equal(status.conditions, undefined);
    });
  });
});
