import assert from 'node:assert/strict';
import { aConfigMap, aDeployment } from '../../helpers/builders.js';
import {
  deployments,
  freshNamespace,
  keepPodsReady,
  list,
  pods,
  replicaSets,
  settles,
  startWorkloadHub,
  type WorkloadHub,
} from './workload-hub.js';

const configMaps = { group: '', resource: 'configmaps' };

describe('Garbage collector', () => {
  let w: WorkloadHub;
  let ns: string;
  let ready: { stop: () => void };
  before(async () => {
    w = await startWorkloadHub();
  });
  after(async () => {
    await w.close();
  });
  beforeEach(async () => {
    ns = await freshNamespace(w.registry);
    ready = keepPodsReady(w.registry, ns);
  });
  afterEach(() => ready.stop());

  const deploymentPath = () => `/apis/apps/v1/namespaces/${ns}/deployments/web`;
  const counts = async () => ({
    deployments: (await list(w.registry, deployments, ns)).length,
    replicaSets: (await list(w.registry, replicaSets, ns)).length,
    pods: (await list(w.registry, pods, ns)).length,
  });
  const runningDeployment = async () => {
    const d = aDeployment('web');
    d.metadata.namespace = ns;
    d.spec.replicas = 3;
    await w.registry.for(deployments).create(ns, d);
    await settles(async () => assert.deepEqual(await counts(), { deployments: 1, replicaSets: 1, pods: 3 }));
  };
  /** The order in which objects of the namespace disappear. */
  const recordDeletions = () => {
    const gone: string[] = [];
    const watches = ['apps/deployments', 'apps/replicasets', 'pods'].map((resource) =>
      w.registry.store.watch(resource, { namespace: ns }, ({ type, object }) => {
        if (type === 'DELETED') gone.push(String(object.kind));
      }),
    );
    return {
      gone,
      stop: () => {
        for (const watch of watches) watch.stop();
      },
    };
  };

  it('background (the default): the Deployment goes at once, then its ReplicaSet, then the pods', async () => {
    await runningDeployment();
    const res = await w.t.api.delete(deploymentPath());
    assert.equal(res.status, 200);
    await settles(async () => assert.deepEqual(await counts(), { deployments: 0, replicaSets: 0, pods: 0 }));
  });

  it('foreground: the Deployment waits with a finalizer until its ReplicaSet and pods are gone', async () => {
    await runningDeployment();
    const deletions = recordDeletions();
    try {
      const res = await w.t.api.delete(deploymentPath(), { propagationPolicy: 'Foreground' });
      assert.equal(res.status, 200);
      const marked = res.json();
      assert.ok(marked.metadata.deletionTimestamp);
      assert.deepEqual(marked.metadata.finalizers, ['foregroundDeletion']);
      await settles(async () =>
        assert.deepEqual(await counts(), { deployments: 0, replicaSets: 0, pods: 0 }),
      );
    } finally {
      deletions.stop();
    }
    assert.deepEqual(deletions.gone, ['Pod', 'Pod', 'Pod', 'ReplicaSet', 'Deployment']);
  });

  it('orphan: the Deployment goes, its ReplicaSet stays without an owner and keeps its pods', async () => {
    await runningDeployment();
    const res = await w.t.api.delete(deploymentPath(), { propagationPolicy: 'Orphan' });
    assert.equal(res.status, 200);
    await settles(async () => assert.equal((await counts()).deployments, 0));
    const [rs] = await list(w.registry, replicaSets, ns);
    assert.equal(rs!.metadata.ownerReferences, undefined);
    const owned = await list(w.registry, pods, ns);
    assert.equal(owned.length, 3);
    for (const pod of owned) assert.equal(pod.metadata.ownerReferences[0].uid, rs!.metadata.uid);
  });

  it('deletes an object whose only owner never existed, of any kind', async () => {
    const cm = aConfigMap('stray');
    cm.metadata.namespace = ns;
    cm.metadata.ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'nobody', uid: 'no-such-uid' },
    ];
    await w.registry.for(configMaps).create(ns, cm);
    await settles(async () =>
      assert.deepEqual(
        (await list(w.registry, configMaps, ns)).map((cm) => cm.metadata.name),
        ['kube-root-ca.crt'],
      ),
    );
  });

  it('keeps an object that still has a live owner, dropping the reference to the dead one', async () => {
    const owner = aConfigMap('owner');
    owner.metadata.namespace = ns;
    const live = await w.registry.for(configMaps).create(ns, owner);
    const cm = aConfigMap('shared');
    cm.metadata.namespace = ns;
    cm.metadata.ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: live.metadata.uid! },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'ghost-uid' },
    ];
    await w.registry.for(configMaps).create(ns, cm);
    await settles(async () => {
      const kept = await w.registry.for(configMaps).get(ns, 'shared');
      assert.deepEqual(
        kept.metadata.ownerReferences?.map((r) => r.name),
        ['owner'],
      );
    });
    await w.t.api.delete(`/api/v1/namespaces/${ns}/configmaps/owner`);
    await settles(async () =>
      assert.deepEqual(
        (await list(w.registry, configMaps, ns)).map((cm) => cm.metadata.name),
        ['kube-root-ca.crt'],
      ),
    );
  });
});
