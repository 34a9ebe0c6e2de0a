import assert from 'node:assert/strict';
import { deploymentSteps } from './deployment-steps.js';
import {
  freshNamespace,
  keepPodsReady,
  settles,
  startWorkloadHub,
  type WorkloadHub,
} from './workload-hub.js';

describe('Deployment controller: pause, restart, undo and history', () => {
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

  it('pause holds a template change back; resume rolls it out', async () => {
    await create((x) => {
      x.spec.replicas = 2;
    });
    ready = keepPodsReady(w.registry, ns);
    await settles(() => rolledOut(2).then(() => {}));
    await edit((x) => {
      x.spec.paused = true;
    });
    await settles(async () => {
      const progressing = (await deployment()).status.conditions.find((c: any) => c.type === 'Progressing');
      assert.equal(progressing.reason, 'DeploymentPaused');
      assert.equal(progressing.status, 'Unknown');
    });
    await edit((x) => {
      x.spec.template.spec.containers[0].image = 'nginx:1.28';
    });
    await settles(async () => {
      const d = await deployment();
      assert.equal(d.status.observedGeneration, d.metadata.generation);
    });
    assert.equal((await replicaSetList()).length, 1, 'no new ReplicaSet while paused');
    await edit((x) => {
      x.spec.paused = false;
    });
    await settles(async () => {
      await rolledOut(2);
      assert.equal((await replicaSetList()).length, 2);
      for (const pod of await livePods()) assert.equal(pod.spec.containers[0].image, 'nginx:1.28');
    });
  });

  it('a restartedAt template annotation rolls out a new ReplicaSet with the next revision', async () => {
    await create();
    ready = keepPodsReady(w.registry, ns);
    await settles(() => rolledOut(2).then(() => {}));
    await edit((x) => {
      x.spec.template.metadata.annotations = {
        'kubectl.kubernetes.io/restartedAt': new Date().toISOString(),
      };
    });
    await settles(async () => {
      const d = await rolledOut(2);
      assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '2');
      const revisions = (await replicaSetList()).map(
        (rs) => rs.metadata.annotations['deployment.kubernetes.io/revision'],
      );
      assert.deepEqual(revisions.sort(), ['1', '2']);
    });
  });

  it('undo as kubectl does it: revision 1 comes back as revision 3 of the same ReplicaSet', async () => {
    await create((x) => {
      x.metadata.annotations = { 'kubernetes.io/change-cause': 'first' };
    });
    ready = keepPodsReady(w.registry, ns);
    await settles(() => rolledOut(2).then(() => {}));
    const first = (await replicaSetList())[0]!;
    await edit((x) => {
      x.metadata.annotations = { ...x.metadata.annotations, 'kubernetes.io/change-cause': 'second' };
      x.spec.template.spec.containers[0].image = 'nginx:1.28';
    });
    await settles(async () => {
      assert.equal((await rolledOut(2)).metadata.annotations['deployment.kubernetes.io/revision'], '2');
    });
    assert.equal(first.metadata.annotations['kubernetes.io/change-cause'], 'first');
    // kubectl rollout undo --to-revision=1: the RS template without its hash label, and the
    // RS's annotations except the deployment.kubernetes.io bookkeeping, patched onto the Deployment.
    const { 'pod-template-hash': _hash, ...labels } = first.spec.template.metadata.labels;
    await edit((x) => {
      x.spec.template = { ...first.spec.template, metadata: { ...first.spec.template.metadata, labels } };
      x.metadata.annotations = { 'kubernetes.io/change-cause': 'first' };
    });
    await settles(async () => {
      const d = await rolledOut(2);
      assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '3');
      const rss = await replicaSetList();
      assert.equal(rss.length, 2);
      const restored = rss.find((rs) => rs.metadata.uid === first.metadata.uid)!;
      assert.equal(restored.metadata.annotations['deployment.kubernetes.io/revision'], '3');
      assert.equal(restored.metadata.annotations['deployment.kubernetes.io/revision-history'], '1');
      assert.equal(restored.spec.replicas, 2);
      for (const pod of await livePods()) assert.equal(pod.spec.containers[0].image, 'nginx:1.27');
    });
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    await create((x) => {
      x.spec.revisionHistoryLimit = 1;
    });
    ready = keepPodsReady(w.registry, ns);
    for (const tag of ['1.28', '1.29', '1.30']) {
      await edit((x) => {
        x.spec.template.spec.containers[0].image = `nginx:${tag}`;
      });
      await settles(() => rolledOut(2).then(() => {}));
    }
    await settles(async () => {
      const revisions = (await replicaSetList()).map(
        (rs) => rs.metadata.annotations['deployment.kubernetes.io/revision'],
      );
      assert.deepEqual(revisions.sort(), ['3', '4']);
    });
  });
});
