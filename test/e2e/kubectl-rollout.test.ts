// Deployments driven by real kubectl 1.32 against the real `flotilla hub` process: apply,
// rollout status / history / undo / pause / resume / restart, set image, and the three cascade
// modes of delete. The hub has no agents here, so a loop in the test plays kubelet and reports
// every pod Running and Ready through the pods/status subresource.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from '../helpers/api-client.js';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl } from '../helpers/kubectl.js';

const ns = 'roll';

const manifest = (image: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
  annotations:
    kubernetes.io/change-cause: first
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ${image}
`;

/** Plays kubelet: every pod of the namespace is reported Running and Ready soon after it appears. */
function reportPodsReady(api: ApiClient): { stop: () => void } {
  let running = true;
  void (async () => {
    while (running) {
      const res = await api.get(`/api/v1/namespaces/${ns}/pods`).catch(() => undefined);
      for (const pod of res?.status === 200 ? res.json().items : []) {
        const ready = (pod.status?.conditions ?? []).some(
          (c: any) => c.type === 'Ready' && c.status === 'True',
        );
        if (ready || pod.metadata.deletionTimestamp) continue;
        const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        pod.status = {
          ...pod.status,
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
        };
        await api
          .put(`/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`, pod)
          .catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: () => {
      running = false;
    },
  };
}

describe('kubectl 1.32 rollouts against the hub', function () {
  this.timeout(120_000);
  let hub: HubProcess;
  let kubectl: Kubectl;
  let api: ApiClient;
  let readiness: { stop: () => void };

  before(async () => {
    hub = await startHubProcess();
    kubectl = new Kubectl(hub.kubeconfig);
    api = new ApiClient(hub.apiUrl, readFileSync(join(hub.dataDir, 'pki', 'ca.crt'), 'utf8'), hub.token);
    readiness = reportPodsReady(api);
  });
  after(async () => {
    readiness?.stop();
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  const k = (...args: string[]) => kubectl.ok([...args, '-n', ns]);
  const rolloutStatus = () => k('rollout', 'status', 'deployment/web', '--timeout=60s');
  const json = async (...args: string[]) => JSON.parse(await k('get', ...args, '-o', 'json'));
  const podImages = async () => {
    const pods = (await json('pods')).items.filter((p: any) => !p.metadata.deletionTimestamp);
    return pods.map((p: any) => p.spec.containers[0].image).sort();
  };
  const replicaSetsByRevision = async () =>
    Object.fromEntries(
      (await json('replicasets')).items.map((rs: any) => [
        rs.metadata.annotations['deployment.kubernetes.io/revision'],
        {
          image: rs.spec.template.spec.containers[0].image,
          replicas: rs.spec.replicas,
          owners: rs.metadata.ownerReferences,
        },
      ]),
    );
  const history = async () =>
    (await k('rollout', 'history', 'deployment/web'))
      .trim()
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(/\s+/));

  it('applies a Deployment and waits for it with rollout status', async () => {
    assert.match(
      await kubectl.ok(['apply', '-f', '-'], manifest('docker.io/local/web:1')),
      /deployment\.apps\/web created/,
    );
    assert.match(await rolloutStatus(), /deployment "web" successfully rolled out/);
    assert.match(await k('get', 'deployment', 'web'), /\nweb\s+3\/3\s+3\s+3\s+/);
    assert.match(await k('get', 'replicasets'), /\nweb-[a-z0-9]+\s+3\s+3\s+3\s+/);
    assert.deepEqual(await podImages(), Array(3).fill('docker.io/local/web:1'));
  });

  it('rolls out a new image from kubectl set image, and records it in rollout history', async () => {
    assert.match(
      await k('set', 'image', 'deployment/web', 'web=docker.io/local/web:2'),
      /deployment\.apps\/web image updated/,
    );
    await k('annotate', 'deployment/web', 'kubernetes.io/change-cause=second', '--overwrite');
    assert.match(await rolloutStatus(), /successfully rolled out/);
    assert.deepEqual(await podImages(), Array(3).fill('docker.io/local/web:2'));
    const rss = await replicaSetsByRevision();
    assert.deepEqual([rss['1']?.replicas, rss['2']?.replicas], [0, 3]);
    await eventually(async () => {
      assert.deepEqual(await history(), [
        ['1', 'first'],
        ['2', 'second'],
      ]);
      return true;
    });
    assert.match(
      await k('rollout', 'history', 'deployment/web', '--revision=2'),
      /Image:\s+docker\.io\/local\/web:2/,
    );
  });

  it('undoes to the previous revision, which comes back as revision 3', async () => {
    assert.match(await k('rollout', 'undo', 'deployment/web'), /deployment\.apps\/web rolled back/);
    assert.match(await rolloutStatus(), /successfully rolled out/);
    assert.deepEqual(await podImages(), Array(3).fill('docker.io/local/web:1'));
    await eventually(async () => {
      assert.deepEqual(await history(), [
        ['2', 'second'],
        ['3', 'first'],
      ]);
      return true;
    });
    const deploy = await json('deployment', 'web');
    assert.equal(deploy.metadata.annotations['deployment.kubernetes.io/revision'], '3');
    assert.equal(
      Object.keys(await replicaSetsByRevision()).length,
      2,
      'the old ReplicaSet was reused, not copied',
    );
  });

  it('holds changes while paused and rolls them out on resume', async () => {
    assert.match(await k('rollout', 'pause', 'deployment/web'), /deployment\.apps\/web paused/);
    await k('set', 'image', 'deployment/web', 'web=docker.io/local/web:3');
    await eventually(async () => {
      const d = await json('deployment', 'web');
      return d.status.observedGeneration === d.metadata.generation;
    });
    const d = await json('deployment', 'web');
    assert.equal(d.status.conditions.find((c: any) => c.type === 'Progressing').reason, 'DeploymentPaused');
    assert.equal(Object.keys(await replicaSetsByRevision()).length, 2, 'no new ReplicaSet while paused');
    assert.deepEqual(await podImages(), Array(3).fill('docker.io/local/web:1'));
    assert.match(await k('rollout', 'resume', 'deployment/web'), /deployment\.apps\/web resumed/);
    assert.match(await rolloutStatus(), /successfully rolled out/);
    assert.deepEqual(await podImages(), Array(3).fill('docker.io/local/web:3'));
  });

  it('restarts every pod through a new ReplicaSet with rollout restart', async () => {
    const before = (await json('pods')).items.map((p: any) => p.metadata.name);
    assert.match(await k('rollout', 'restart', 'deployment/web'), /deployment\.apps\/web restarted/);
    assert.match(await rolloutStatus(), /successfully rolled out/);
    const d = await json('deployment', 'web');
    assert.ok(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '5');
    const after = (await json('pods')).items
      .filter((p: any) => !p.metadata.deletionTimestamp)
      .map((p: any) => p.metadata.name);
    assert.equal(after.length, 3);
    for (const name of after) assert.ok(!before.includes(name), `${name} is a new pod`);
  });

  it('delete --cascade=orphan removes the Deployment but leaves its ReplicaSets and pods', async () => {
    assert.match(
      await k('delete', 'deployment', 'web', '--cascade=orphan'),
      /deployment\.apps "web" deleted/,
    );
    assert.match((await kubectl.run(['get', 'deployment', 'web', '-n', ns])).stderr, /NotFound/);
    const rss = await replicaSetsByRevision();
    assert.ok(Object.keys(rss).length >= 2);
    for (const rs of Object.values(rss)) assert.equal(rs.owners, undefined);
    assert.equal((await podImages()).length, 3);
  });

  it('delete with the default cascade removes the Deployment, its ReplicaSets and their pods', async () => {
    // Applying again adopts the orphaned ReplicaSets; deleting then takes everything with it.
    await kubectl.ok(['apply', '-f', '-'], manifest('docker.io/local/web:1'));
    await eventually(async () =>
      Object.values(await replicaSetsByRevision()).every((rs) => rs.owners?.length === 1),
    );
    assert.match(await k('delete', 'deployment', 'web'), /deployment\.apps "web" deleted/);
    await eventually(
      async () => (await json('replicasets')).items.length === 0 && (await json('pods')).items.length === 0,
      { timeoutMs: 30_000 },
    );
  });

  it('delete --cascade=foreground returns only once the ReplicaSets and pods are gone', async () => {
    await kubectl.ok(['apply', '-f', '-'], manifest('docker.io/local/web:1'));
    assert.match(await rolloutStatus(), /successfully rolled out/);
    assert.match(
      await k('delete', 'deployment', 'web', '--cascade=foreground'),
      /deployment\.apps "web" deleted/,
    );
    assert.deepEqual((await json('replicasets')).items, []);
    assert.deepEqual((await json('pods')).items, []);
  });
});
