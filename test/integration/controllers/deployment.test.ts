import assert from 'node:assert/strict';
import { podTemplateHash } from '../../../hub/controllers/deployment/pod-template-hash.js';
import { aReplicaSet } from '../../helpers/builders.js';
import { deploymentSteps } from './deployment-steps.js';
import {
  freshNamespace,
  keepPodsReady,
  replicaSets,
  settles,
  startWorkloadHub,
  type WorkloadHub,
} from './workload-hub.js';

describe('Deployment controller', () => {
  let w: WorkloadHub;
  let ns: string;
  let ready: { stop: () => void } | undefined;
  before(async () => {
    w = await startWorkloadHub();
  });
  after(async () => {
    await w.close();
  });
  beforeEach(async () => {
    ns = await freshNamespace(w.registry);
  });
  afterEach(() => {
    ready?.stop();
    ready = undefined;
  });

  const { create, edit, deployment, livePods, replicaSetList, rolledOut } = deploymentSteps(
    () => w,
    () => ns,
  );

  it('creates a ReplicaSet named after the template hash, and its pods', async () => {
    const d = await create((x) => {
      x.spec.replicas = 3;
    });
    ready = keepPodsReady(w.registry, ns);
    await settles(async () => {
      const [rs, ...others] = await replicaSetList();
      assert.equal(others.length, 0);
      const hash = rs!.metadata.labels['pod-template-hash'];
      assert.equal(rs!.metadata.name, `web-${hash}`);
      assert.deepEqual(rs!.spec.selector.matchLabels, { app: 'web', 'pod-template-hash': hash });
      assert.equal(rs!.spec.template.metadata.labels['pod-template-hash'], hash);
      assert.equal(rs!.metadata.ownerReferences[0].uid, d.metadata.uid);
      assert.equal(rs!.metadata.annotations['deployment.kubernetes.io/revision'], '1');
      assert.equal(rs!.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '3');
      assert.equal(rs!.metadata.annotations['deployment.kubernetes.io/max-replicas'], '4');
      const live = await livePods();
      assert.equal(live.length, 3);
      for (const pod of live) assert.equal(pod.metadata.labels['pod-template-hash'], hash);
    });
    await settles(async () => {
      const status = (await rolledOut(3)).status;
      assert.equal(status.readyReplicas, 3);
      assert.equal(status.unavailableReplicas, 0);
      const available = status.conditions.find((c: any) => c.type === 'Available');
      assert.equal(available.reason, 'MinimumReplicasAvailable');
    });
    assert.equal((await deployment()).metadata.annotations['deployment.kubernetes.io/revision'], '1');
  });

  it('scales up and down without a new ReplicaSet', async () => {
    await create((x) => {
      x.spec.replicas = 2;
    });
    ready = keepPodsReady(w.registry, ns);
    await settles(() => rolledOut(2).then(() => {}));
    await edit((x) => {
      x.spec.replicas = 5;
    });
    await settles(async () => {
      await rolledOut(5);
      assert.equal((await livePods()).length, 5);
    });
    await edit((x) => {
      x.spec.replicas = 1;
    });
    await settles(async () => {
      await rolledOut(1);
      assert.equal((await livePods()).length, 1);
      const rss = await replicaSetList();
      assert.equal(rss.length, 1);
      assert.equal(rss[0]!.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '1');
    });
  });

  it('Recreate: scales the old ReplicaSet to zero before the new one gets pods', async () => {
    await create((x) => {
      x.spec.replicas = 3;
      x.spec.strategy = { type: 'Recreate' };
    });
    ready = keepPodsReady(w.registry, ns);
    await settles(() => rolledOut(3).then(() => {}));
    const oldHash = (await replicaSetList())[0]!.metadata.labels['pod-template-hash'];
    // Follow every pod write: at no point may pods of two templates be alive together.
    let overlap = false;
    const alive = new Map<string, string>();
    const watch = w.registry.store.watch('pods', { namespace: ns }, ({ type, object }) => {
      if (type === 'DELETED' || object.metadata.deletionTimestamp) alive.delete(object.metadata.name!);
      else alive.set(object.metadata.name!, object.metadata.labels?.['pod-template-hash'] ?? '');
      if (new Set(alive.values()).size > 1) overlap = true;
    });
    try {
      await edit((x) => {
        x.spec.template.spec.containers[0].image = 'nginx:1.28';
      });
      await settles(async () => {
        await rolledOut(3);
        const live = await livePods();
        assert.equal(live.length, 3);
        for (const pod of live) assert.notEqual(pod.metadata.labels['pod-template-hash'], oldHash);
      });
    } finally {
      watch.stop();
    }
    assert.equal(overlap, false, 'old and new pods never ran side by side');
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready in time', async () => {
    await create((x) => {
      x.spec.progressDeadlineSeconds = 1;
    });
    await settles(async () => {
      const d = await deployment();
      const progressing = d.status?.conditions?.find((c: any) => c.type === 'Progressing');
      assert.equal(progressing?.status, 'False');
      assert.equal(progressing?.reason, 'ProgressDeadlineExceeded');
      assert.match(progressing.message, /^ReplicaSet "web-\w+" has timed out progressing\.$/);
      const available = d.status.conditions.find((c: any) => c.type === 'Available');
      assert.equal(available.reason, 'MinimumReplicasUnavailable');
    }, 8000);
  });

  it('steps around a name taken by a foreign ReplicaSet by bumping collisionCount', async () => {
    const d = await create((x) => {
      x.spec.paused = true;
    });
    const taken = `web-${podTemplateHash((d.spec as any).template)}`;
    const squatter = aReplicaSet(taken);
    squatter.metadata.namespace = ns;
    squatter.spec.selector = { matchLabels: { app: 'other' } };
    squatter.spec.template.metadata.labels = { app: 'other' };
    squatter.spec.replicas = 0;
    await w.registry.for(replicaSets).create(ns, squatter);
    ready = keepPodsReady(w.registry, ns);
    await edit((x) => {
      x.spec.paused = false;
    });
    await settles(async () => {
      const status = (await rolledOut(2)).status;
      assert.equal(status.collisionCount, 1);
      const names = (await replicaSetList()).map((rs) => rs.metadata.name).sort();
      assert.deepEqual(names, [taken, `web-${podTemplateHash((d.spec as any).template, 1)}`].sort());
    });
  });
});
