// metrics.k8s.io against a real hub and gateways (fake runtime, whose usage the test sets),
// through the API and through real kubectl top (1.27 and 1.33).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { RunningAgent } from '../../../edge-agent/agent.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import { Kubectl, kubectlBin, kubectlOf } from '../../helpers/kubectl.js';
import { startFakeGateway, startTestHub, type TestHub } from '../../helpers/test-hub.js';

const metrics = '/apis/metrics.k8s.io/v1beta1';

describe('metrics.k8s.io: gateways usage through the API and kubectl top', function () {
  this.timeout(120_000);
  const gateways = [
    { name: 'gw-top-a', runtime: new FakeRuntime(), dir: tempDir('top-a') },
    { name: 'gw-top-b', runtime: new FakeRuntime(), dir: tempDir('top-b') },
  ];
  const agents = new Map<string, RunningAgent>();
  let t: TestHub;

  const createPod = async (namespace: string, name: string, node: string, labels: Record<string, string>) => {
    const res = await t.api.post(`/api/v1/namespaces/${namespace}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels },
      spec: { nodeName: node, containers: [{ name: 'app', image: 'docker.io/library/busybox:1.36' }] },
    });
    assert.equal(res.status, 201, res.text);
  };
  const setUsage = (
    gateway: (typeof gateways)[number],
    pod: string,
    nanoCores: number,
    memoryBytes: number,
  ) =>
    eventually(
      async () => {
        const sandbox = (await gateway.runtime.listPodSandboxes()).find((s) => s.metadata.name === pod);
        const app = (await gateway.runtime.listContainers()).find(
          (c) => c.podSandboxId === sandbox?.id && c.state === 'RUNNING',
        );
        if (!app) return false;
        gateway.runtime.setUsage(app.id, { nanoCores, memoryBytes });
        return true;
      },
      { timeoutMs: 45_000 },
    );

  before(async () => {
    t = await startTestHub();
    for (const gateway of gateways) {
      agents.set(gateway.name, await startFakeGateway(t, gateway.name, gateway.runtime, gateway.dir));
    }
    assert.equal((await t.api.post('/api/v1/namespaces', { metadata: { name: 'plant' } })).status, 201);
    await createPod('default', 'web', 'gw-top-a', { app: 'web' });
    await createPod('plant', 'plc-bridge', 'gw-top-b', { app: 'bridge' });
    await setUsage(gateways[0]!, 'web', 250_000_000, 3 * 1024 * 1024 + 4096);
    await setUsage(gateways[1]!, 'plc-bridge', 1_500_000, 64 * 1024 * 1024);
    // Label a node, to select by it.
    const labelled = await t.api.patch(
      '/api/v1/nodes/gw-top-b',
      { metadata: { labels: { 'flotilla.io/site': 'hall-3' } } },
      'application/merge-patch+json',
    );
    assert.equal(labelled.status, 200, labelled.text);
  });

  after(async () => {
    for (const agent of agents.values()) await agent.stop();
    await t.close();
    for (const gateway of gateways) rmSync(gateway.dir, { recursive: true, force: true });
  });

  it('is discovered: metrics.k8s.io/v1beta1 with nodes and pods, get and list', async () => {
    const doc = (await t.api.get(metrics)).json();
    assert.deepEqual(
      doc.resources.map((r: any) => [r.name, r.kind, r.namespaced, r.verbs]),
      [
        ['nodes', 'NodeMetrics', false, ['get', 'list']],
        ['pods', 'PodMetrics', true, ['get', 'list']],
      ],
    );
  });

  it("lists every gateway's usage and each pod's, per container, in kube's quantities", async () => {
    const nodes = (await t.api.get(`${metrics}/nodes`)).json();
    assert.equal(nodes.kind, 'NodeMetricsList');
    assert.deepEqual(nodes.items.map((n: any) => n.metadata.name).sort(), ['gw-top-a', 'gw-top-b']);
    for (const item of nodes.items) {
      assert.match(item.usage.cpu, /^\d+(n|u|m)?$/);
      assert.match(item.usage.memory, /^\d+(Ki|Mi|Gi)?$/);
      assert.match(item.window, /^[\d.]+(ms|s)$/);
      assert.ok(Date.parse(item.timestamp) <= Date.now());
    }
    const pods = (await t.api.get(`${metrics}/pods`)).json();
    assert.deepEqual(
      pods.items.map((p: any) => [p.metadata.namespace, p.metadata.name, p.metadata.labels, p.containers]),
      [
        ['default', 'web', { app: 'web' }, [{ name: 'app', usage: { cpu: '250m', memory: '3076Ki' } }]],
        [
          'plant',
          'plc-bridge',
          { app: 'bridge' },
          [{ name: 'app', usage: { cpu: '1500u', memory: '64Mi' } }],
        ],
      ],
    );
  });

  it('selects by namespace, name, labels and fields, and answers a missing one in metrics-server words', async () => {
    const inPlant = (await t.api.get(`${metrics}/namespaces/plant/pods`)).json();
    assert.deepEqual(
      inPlant.items.map((p: any) => p.metadata.name),
      ['plc-bridge'],
    );
    const web = await t.api.get(`${metrics}/namespaces/default/pods/web`);
    assert.equal(web.status, 200);
    assert.equal(web.json().kind, 'PodMetrics');
    const byLabel = (await t.api.get(`${metrics}/pods?labelSelector=app%3Dbridge`)).json();
    assert.deepEqual(
      byLabel.items.map((p: any) => p.metadata.name),
      ['plc-bridge'],
    );
    const byField = (await t.api.get(`${metrics}/pods?fieldSelector=metadata.name%3Dweb`)).json();
    assert.deepEqual(
      byField.items.map((p: any) => p.metadata.name),
      ['web'],
    );
    const site = (await t.api.get(`${metrics}/nodes?labelSelector=flotilla.io%2Fsite%3Dhall-3`)).json();
    assert.deepEqual(
      site.items.map((n: any) => n.metadata.name),
      ['gw-top-b'],
    );
    const missing = await t.api.get(`${metrics}/namespaces/default/pods/nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json().message, 'podmetrics.metrics.k8s.io "default/nope" not found');
    const badField = await t.api.get(`${metrics}/pods?fieldSelector=spec.nodeName%3Dgw-top-a`);
    assert.equal(badField.status, 400);
    assert.equal(badField.json().message, 'field label not supported: spec.nodeName');
    assert.equal((await t.api.get(`${metrics}/pods?watch=true`)).status, 405);
  });

  it('is readable with the view role (system:aggregated-metrics-reader) and refused without it', async () => {
    const binding = await t.api.post('/apis/rbac.authorization.k8s.io/v1/namespaces/plant/rolebindings', {
      metadata: { name: 'olga-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'olga' }],
    });
    assert.equal(binding.status, 201, binding.text);
    const olga = t.api.as('olga');
    await eventually(async () => (await olga.get(`${metrics}/namespaces/plant/pods`)).status === 200);
    const refused = await olga.get(`${metrics}/namespaces/default/pods`);
    assert.equal(refused.status, 403);
    assert.equal(
      refused.json().message,
      'pods.metrics.k8s.io is forbidden: User "olga" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "default"',
    );
  });

  for (const minor of [33, 27]) {
    it(`kubectl 1.${minor} top node and top pod (-A, --containers, -l) print the gateways' usage`, async function () {
      const bin = minor === 32 ? kubectlBin : kubectlOf(minor);
      if (!bin) return this.skip();
      const kubectl = new Kubectl(t.hub.kubeconfigPath, bin);
      const nodes = await kubectl.ok(['top', 'node']);
      const lines = nodes.trim().split('\n');
      assert.match(lines[0]!, /^NAME\s+CPU\(cores\)\s+CPU(%|\(%\))\s+MEMORY\(bytes\)\s+MEMORY(%|\(%\))\s*$/);
      assert.deepEqual(
        lines
          .slice(1)
          .map((l) => l.split(/\s+/)[0])
          .sort(),
        ['gw-top-a', 'gw-top-b'],
      );
      assert.match(lines[1]!, /^gw-top-\w\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*$/);

      const pods = await kubectl.ok(['top', 'pod']);
      assert.match(pods, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\nweb\s+250m\s+3Mi\s*\n$/);
      const all = await kubectl.ok(['top', 'pod', '-A', '--containers']);
      assert.match(all, /^NAMESPACE\s+POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
      assert.match(all, /\ndefault\s+web\s+app\s+250m\s+3Mi\s*\n/);
      // 1500u: kubectl rounds up to whole millicores.
      assert.match(all, /\nplant\s+plc-bridge\s+app\s+2m\s+64Mi\s*\n/);
      const labelled = await kubectl.ok(['top', 'pod', '-n', 'plant', '-l', 'app=bridge']);
      assert.match(labelled, /\nplc-bridge\s+2m\s+64Mi\s*\n$/);
      const missing = await kubectl.run(['top', 'pod', 'nope']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /podmetrics.metrics.k8s.io "default\/nope" not found/);
    });
  }

  it("serves an offline gateway's usage as last known, with the time it was read", async () => {
    const before = (await t.api.get(`${metrics}/nodes/gw-top-b`)).json();
    await agents.get('gw-top-b')!.stop();
    agents.delete('gw-top-b');
    await eventually(async () => t.hub.mqtt.requests.presenceOf('gw-top-b')?.online === false);
    const after = (await t.api.get(`${metrics}/nodes/gw-top-b`)).json();
    assert.equal(after.timestamp, before.timestamp);
    assert.equal(after.window, before.window);
    assert.deepEqual(after.usage, before.usage);
    const pods = (await t.api.get(`${metrics}/namespaces/plant/pods`)).json();
    assert.equal(pods.items[0]?.containers[0]?.usage.memory, '64Mi');
  });
});
