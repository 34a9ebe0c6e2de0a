// StatefulSets on an in-process hub: ordered creation and deletion, claims per pod, rolling
// updates by revision, the scale subresource, and garbage collection of pods (claims stay).
import assert from 'node:assert/strict';
import { StatefulSetController } from '../../../hub/controllers/statefulset/statefulset-controller.js';
import { aStatefulSet } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import {
  freshNamespace,
  get,
  isReady,
  list,
  markReady,
  pods,
  settles,
  startWorkloadHub,
  type WorkloadHub,
} from './workload-hub.js';

const sets = { group: 'apps', resource: 'statefulsets' };
const claims = { group: '', resource: 'persistentvolumeclaims' };
const events = { group: '', resource: 'events' };

describe('StatefulSet controller', function () {
  this.timeout(30_000);
  let w: WorkloadHub;
  let ns: string;
  before(async () => {
    w = await startWorkloadHub([(ctx) => new StatefulSetController(ctx)]);
  });
  after(async () => {
    await w.close();
  });
  beforeEach(async () => {
    ns = await freshNamespace(w.registry);
  });

  const livePods = async () =>
    (await list(w.registry, pods, ns))
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name)
      .sort();
  const createSet = (change: (s: any) => void = () => {}) => {
    const set = aStatefulSet('db');
    set.metadata.namespace = ns;
    set.spec.replicas = 3;
    change(set);
    return w.registry.for(sets).create(ns, set);
  };
  const setReplicas = (replicas: number) =>
    w.registry.for(sets).modify(ns, 'db', (s: any) => ({ ...s, spec: { ...s.spec, replicas } }));

  /** Plays kubelet one pod at a time, checking that no pod appears before those below it are ready. */
  async function readyInOrder(expected: string[]): Promise<string[]> {
    const seen: string[] = [];
    await eventually(
      async () => {
        const current = (await list(w.registry, pods, ns)).filter((p) => !p.metadata.deletionTimestamp);
        for (const pod of current) if (!seen.includes(pod.metadata.name)) seen.push(pod.metadata.name);
        const notReady = current.filter((p) => !isReady(p));
        assert.ok(notReady.length <= 1, `one pod at a time, saw ${notReady.map((p) => p.metadata.name)}`);
        for (const pod of notReady) await markReady(w.registry, pod);
        return current.length === expected.length && notReady.length === 0;
      },
      { timeoutMs: 15_000 },
    );
    return seen;
  }

  it('creates <name>-0, -1, -2 in order, each after the one before is Running and Ready, with its claim', async () => {
    const set = await createSet();
    assert.deepEqual(await readyInOrder(['db-0', 'db-1', 'db-2']), ['db-0', 'db-1', 'db-2']);
    const pod = await get(w.registry, pods, ns, 'db-1');
    assert.equal(pod.spec.hostname, 'db-1');
    assert.equal(pod.spec.subdomain, 'db');
    assert.equal(pod.metadata.labels['statefulset.kubernetes.io/pod-name'], 'db-1');
    assert.match(pod.metadata.labels['controller-revision-hash'], /^db-[a-z0-9]+$/);
    // Besides the ServiceAccount token volume every pod gets (kube-api-access-*).
    assert.deepEqual(
      pod.spec.volumes.filter((v: { name: string }) => !v.name.startsWith('kube-api-access-')),
      [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-1' } }],
    );
    assert.deepEqual(pod.metadata.ownerReferences?.[0]?.uid, set.metadata.uid);
    const claim = await get(w.registry, claims, ns, 'data-db-1');
    assert.deepEqual(claim.spec.resources, { requests: { storage: '1Gi' } });
    assert.equal(claim.metadata.ownerReferences, undefined, 'claims outlive their pods by default');
    const messages = (await list(w.registry, events, ns)).map((e) => e.message);
    assert.ok(
      messages.includes('create Claim data-db-1 Pod db-1 in StatefulSet db success'),
      String(messages),
    );
    assert.ok(messages.includes('create Pod db-1 in StatefulSet db successful'), String(messages));
    await settles(async () => {
      const status = (await get(w.registry, sets, ns, 'db')).status;
      assert.equal(status.replicas, 3);
      assert.equal(status.readyReplicas, 3);
      assert.equal(status.updatedReplicas, 3);
      assert.equal(status.currentRevision, status.updateRevision);
      assert.equal(status.observedGeneration, 1);
    });
  });

  it('scales down from the highest ordinal and keeps the claims', async () => {
    await createSet();
    await readyInOrder(['db-0', 'db-1', 'db-2']);
    await setReplicas(1);
    const seen: string[][] = [];
    await eventually(async () => {
      const now = await livePods();
      if (JSON.stringify(seen.at(-1)) !== JSON.stringify(now)) seen.push(now);
      return now.length === 1;
    });
    assert.deepEqual(seen.at(-1), ['db-0']);
    assert.ok(!seen.some((s) => s.includes('db-2') && !s.includes('db-1')), 'db-1 never went before db-2');
    const kept = (await list(w.registry, claims, ns)).map((c) => c.metadata.name).sort();
    assert.deepEqual(kept, ['data-db-0', 'data-db-1', 'data-db-2']);
  });

  it('Parallel creates every pod at once', async () => {
    await createSet((s) => {
      s.spec.podManagementPolicy = 'Parallel';
    });
    await eventually(async () => (await livePods()).length === 3);
    assert.deepEqual(await livePods(), ['db-0', 'db-1', 'db-2']);
  });

  it('rolls a template change out from the highest ordinal down, sparing pods below the partition', async () => {
    await createSet((s) => {
      s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    });
    await readyInOrder(['db-0', 'db-1', 'db-2']);
    const before = (await get(w.registry, sets, ns, 'db')).status.currentRevision;
    await w.registry.for(sets).modify(ns, 'db', (s: any) => {
      s.spec.template.spec.containers[0].image = 'nginx:1.28';
      return s;
    });
    const keepReady = setInterval(async () => {
      for (const pod of await list(w.registry, pods, ns)) {
        if (!isReady(pod) && !pod.metadata.deletionTimestamp)
          await markReady(w.registry, pod).catch(() => {});
      }
    }, 20);
    try {
      await settles(async () => {
        const status = (await get(w.registry, sets, ns, 'db')).status;
        assert.equal(status.updatedReplicas, 2);
        assert.equal(status.currentRevision, before, 'a partitioned rollout keeps the current revision');
        const images = await Promise.all(
          ['db-0', 'db-1', 'db-2'].map(
            async (n) => (await get(w.registry, pods, ns, n)).spec.containers[0].image,
          ),
        );
        assert.deepEqual(images, ['nginx:1.27', 'nginx:1.28', 'nginx:1.28']);
      }, 15_000);
      await w.registry.for(sets).modify(ns, 'db', (s: any) => {
        s.spec.updateStrategy.rollingUpdate.partition = 0;
        return s;
      });
      await settles(async () => {
        const status = (await get(w.registry, sets, ns, 'db')).status;
        assert.equal(status.updatedReplicas, 3);
        assert.equal(status.currentRevision, status.updateRevision);
        assert.notEqual(status.currentRevision, before);
      }, 15_000);
    } finally {
      clearInterval(keepReady);
    }
  });

  it('scales through the scale subresource', async () => {
    await createSet((s) => {
      s.spec.podManagementPolicy = 'Parallel';
      s.spec.replicas = 1;
    });
    const path = `/apis/apps/v1/namespaces/${ns}/statefulsets/db/scale`;
    const res = await w.t.api.send(
      'PATCH',
      path,
      { spec: { replicas: 2 } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    assert.equal(res.status, 200, res.text);
    await eventually(async () => (await livePods()).length === 2);
    const scale = (await w.t.api.send('GET', path)).json();
    assert.equal(scale.status.selector, 'app=db');
  });

  it('leaves its pods to the garbage collector when deleted, and its claims in place', async () => {
    await createSet((s) => {
      s.spec.podManagementPolicy = 'Parallel';
    });
    await eventually(async () => (await livePods()).length === 3);
    await w.registry.for(sets).delete(ns, 'db', { dryRun: false, propagationPolicy: 'Background' });
    await eventually(async () => (await list(w.registry, pods, ns)).length === 0);
    assert.equal((await list(w.registry, claims, ns)).length, 3);
  });

  it('deletes claims with their pod on scale-down (whenScaled=Delete) and with the set (whenDeleted=Delete)', async () => {
    await createSet((s) => {
      s.spec.podManagementPolicy = 'Parallel';
      s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };
    });
    await eventually(async () => (await livePods()).length === 3);
    const claimNames = async () => (await list(w.registry, claims, ns)).map((c) => c.metadata.name).sort();
    await setReplicas(2);
    await eventually(async () => JSON.stringify(await claimNames()) === '["data-db-0","data-db-1"]');
    await w.registry.for(sets).delete(ns, 'db', { dryRun: false, propagationPolicy: 'Background' });
    await eventually(async () => (await claimNames()).length === 0);
  });

  it('lets its namespace be deleted quietly: no pod or claim is remade into a terminating namespace', async () => {
    await createSet((s) => {
      s.spec.podManagementPolicy = 'Parallel';
    });
    await eventually(async () => (await livePods()).length === 3);
    const logged = w.logs.length;
    await w.registry.for({ group: '', resource: 'namespaces' }).delete(undefined, ns, { dryRun: false });
    await eventually(
      async () =>
        (await w.registry
          .for({ group: '', resource: 'namespaces' })
          .get(undefined, ns)
          .catch(() => undefined)) === undefined,
      { timeoutMs: 15_000 },
    );
    assert.deepEqual(
      w.logs.slice(logged).filter((line) => line.startsWith('controller-manager/statefulset')),
      [],
    );
  });
});
