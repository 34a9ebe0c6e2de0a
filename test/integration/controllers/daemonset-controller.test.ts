import assert from 'node:assert/strict';
import { DaemonSetController } from '../../../hub/controllers/daemonset/daemonset-controller.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import {
  type Harness,
  listItems,
  modify,
  node,
  setPodStatus,
  startControllers,
  until,
} from './controller-harness.js';

const podsPath = '/api/v1/namespaces/default/pods';
const dsPath = '/apis/apps/v1/namespaces/default/daemonsets';

const daemonSet = (name: string, image = 'agent:1') => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'a', image }] } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
  },
});

const pinnedNode = (pod: any): string =>
  pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
    .matchFields[0].values[0];

describe('DaemonSet controller (real hub)', () => {
  let t: TestHub;
  let h: Harness;
  before(async () => {
    t = await startTestHub();
    h = startControllers(t, [(ctx) => new DaemonSetController(ctx)]);
  });
  after(async () => {
    h.stop();
    await t.close();
  });

  const podsOf = async (app: string) =>
    (await listItems(t, `${podsPath}?labelSelector=app=${app}`)).filter((p) => !p.metadata.deletionTimestamp);

  it('runs one pod per node, pinned by node affinity, and follows nodes joining and leaving', async () => {
    for (const name of ['gw-1', 'gw-2'])
      assert.equal((await t.api.post('/api/v1/nodes', node(name))).status, 201);
    assert.equal((await t.api.post(dsPath, daemonSet('agent'))).status, 201);
    await until(async () =>
      assert.deepEqual((await podsOf('agent')).map(pinnedNode).sort(), ['gw-1', 'gw-2']),
    );
    const [pod] = await podsOf('agent');
    assert.equal(pod.spec.nodeName, undefined);
    assert.ok(
      pod.spec.tolerations.some(
        (t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute',
      ),
    );
    assert.ok(pod.metadata.labels['controller-revision-hash']);
    assert.equal(pod.metadata.ownerReferences[0].kind, 'DaemonSet');

    await t.api.post('/api/v1/nodes', node('gw-3'));
    await until(async () => assert.equal((await podsOf('agent')).length, 3));
    await t.api.delete('/api/v1/nodes/gw-2');
    await until(async () =>
      assert.deepEqual((await podsOf('agent')).map(pinnedNode).sort(), ['gw-1', 'gw-3']),
    );
    await until(async () => {
      const status = (await t.api.get(`${dsPath}/agent`)).json().status;
      assert.equal(status.desiredNumberScheduled, 2);
      assert.equal(status.currentNumberScheduled, 2);
      assert.equal(status.numberUnavailable, 2);
      assert.equal(status.observedGeneration, 1);
    });
  });

  it('skips nodes whose labels or taints exclude the daemon', async () => {
    await t.api.post(
      '/api/v1/nodes',
      node('gw-tainted', { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }),
    );
    const ds = daemonSet('selective');
    (ds.spec.template.spec as any).nodeSelector = { 'kubernetes.io/hostname': 'gw-tainted' };
    await t.api.post(dsPath, ds);
    await until(async () => {
      const status = (await t.api.get(`${dsPath}/selective`)).json().status;
      assert.equal(status?.desiredNumberScheduled, 0);
    });
    assert.equal((await podsOf('selective')).length, 0);
  });

  it('rolls a new template out one node at a time and records revisions', async () => {
    const ready = async () => {
      for (const pod of await podsOf('agent')) {
        if (pod.status?.phase !== 'Running')
          await setPodStatus(t, 'default', pod.metadata.name, 'Running', true);
      }
    };
    await t.api.post('/api/v1/nodes', node('gw-4'));
    await until(async () => assert.equal((await podsOf('agent')).length, 3));
    await ready();
    await until(async () =>
      assert.equal((await t.api.get(`${dsPath}/agent`)).json().status.numberAvailable, 3),
    );
    await modify(t, `${dsPath}/agent`, (ds) => {
      ds.spec.template.spec.containers[0].image = 'agent:2';
    });
    let worst = 0;
    await until(
      async () => {
        const pods = await podsOf('agent');
        const available = pods.filter((p) => p.status?.phase === 'Running').length;
        worst = Math.max(worst, 3 - available);
        await ready();
        const images = pods.map((p) => p.spec.containers[0].image);
        assert.deepEqual(images, ['agent:2', 'agent:2', 'agent:2']);
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    assert.ok(worst <= 1, `at most one node without an available daemon, saw ${worst}`);
    const revisions = await listItems(t, '/apis/apps/v1/namespaces/default/controllerrevisions');
    const own = revisions.filter((r) => r.metadata.ownerReferences?.[0]?.name === 'agent');
    assert.deepEqual(own.map((r) => r.revision).sort(), [1, 2]);
    await until(async () => {
      const status = (await t.api.get(`${dsPath}/agent`)).json().status;
      assert.equal(status.updatedNumberScheduled, 3);
      assert.equal(status.numberAvailable, 3);
    });
  });
});
