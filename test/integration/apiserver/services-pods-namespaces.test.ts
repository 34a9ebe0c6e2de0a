import assert from 'node:assert/strict';
import { eventually } from '../../helpers/eventually.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const svc = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
});

const pod = (name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    containers: [{ name: 'c', image: 'docker.io/local/busybox:1' }],
    ...(nodeName ? { nodeName } : {}),
  },
});

describe('API server: services, pods and namespaces', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
  });
  after(async () => {
    await t.close();
  });

  it('allocates a ClusterIP from the service CIDR, never the same one twice', async () => {
    const a = (await t.api.post('/api/v1/namespaces/default/services', svc('a'))).json();
    const b = (await t.api.post('/api/v1/namespaces/default/services', svc('b'))).json();
    assert.match(a.spec.clusterIP, /^10\.43\./);
    assert.notEqual(a.spec.clusterIP, b.spec.clusterIP);
    assert.deepEqual(a.spec.clusterIPs, [a.spec.clusterIP]);
  });

  it('refuses a ClusterIP that is taken or out of range, naming the field', async () => {
    const a = (await t.api.get('/api/v1/namespaces/default/services/a')).json();
    const taken = await t.api.post(
      '/api/v1/namespaces/default/services',
      svc('c', { clusterIP: a.spec.clusterIP }),
    );
    assert.equal(taken.status, 422);
    assert.match(taken.json().message, /spec\.clusterIPs.*provided IP is already allocated/);
    const outside = await t.api.post(
      '/api/v1/namespaces/default/services',
      svc('c', { clusterIP: '192.168.1.1' }),
    );
    assert.equal(outside.status, 422);
  });

  it('allocates NodePorts in range and releases them on delete', async () => {
    const np = (
      await t.api.post(
        '/api/v1/namespaces/default/services',
        svc('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
      )
    ).json();
    assert.equal(np.spec.ports[0].nodePort, 30080);
    const clash = await t.api.post(
      '/api/v1/namespaces/default/services',
      svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
    );
    assert.equal(clash.status, 422);
    assert.match(clash.json().message, /spec\.ports\[0\]\.nodePort.*already allocated/);
    await t.api.delete('/api/v1/namespaces/default/services/np');
    const reuse = await t.api.post(
      '/api/v1/namespaces/default/services',
      svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
    );
    assert.equal(reuse.status, 201);
    const auto = (
      await t.api.post('/api/v1/namespaces/default/services', svc('np3', { type: 'NodePort' }))
    ).json();
    assert.ok(auto.spec.ports[0].nodePort >= 30000 && auto.spec.ports[0].nodePort <= 32767);
  });

  it('serves headless services without a ClusterIP', async () => {
    const headless = (
      await t.api.post('/api/v1/namespaces/default/services', svc('hl', { clusterIP: 'None' }))
    ).json();
    assert.equal(headless.spec.clusterIP, 'None');
  });

  it('keeps allocations across a hub restart', async () => {
    const before = (await t.api.get('/api/v1/namespaces/default/services/a')).json();
    t = await t.restart();
    const after = (await t.api.get('/api/v1/namespaces/default/services/a')).json();
    assert.equal(after.spec.clusterIP, before.spec.clusterIP);
    const clash = await t.api.post(
      '/api/v1/namespaces/default/services',
      svc('after-restart', { clusterIP: before.spec.clusterIP }),
    );
    assert.equal(clash.status, 422);
  });

  it('binds a pod to a node once, through pods/binding', async () => {
    await t.api.post('/api/v1/namespaces/default/pods', pod('bind-me'));
    const bound = await t.api.post('/api/v1/namespaces/default/pods/bind-me/binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'bind-me' },
      target: { kind: 'Node', name: 'gw-1' },
    });
    assert.equal(bound.status, 201);
    const stored = (await t.api.get('/api/v1/namespaces/default/pods/bind-me')).json();
    assert.equal(stored.spec.nodeName, 'gw-1');
    assert.equal(stored.status.conditions.find((c: any) => c.type === 'PodScheduled').status, 'True');
    const again = await t.api.post('/api/v1/namespaces/default/pods/bind-me/binding', {
      target: { name: 'gw-2' },
    });
    assert.equal(again.status, 409);
  });

  it('refuses changes to an immutable pod spec field', async () => {
    const p = (await t.api.get('/api/v1/namespaces/default/pods/bind-me')).json();
    p.spec.containers[0].name = 'renamed';
    const res = await t.api.put('/api/v1/namespaces/default/pods/bind-me', p);
    assert.equal(res.status, 422);
    assert.match(res.json().message, /Forbidden: pod updates may not change fields/);
  });

  it('deletes a pod on a node gracefully, and at once when the kubelet confirms', async () => {
    const first = (await t.api.delete('/api/v1/namespaces/default/pods/bind-me')).json();
    assert.ok(first.metadata.deletionTimestamp);
    assert.equal(first.metadata.deletionGracePeriodSeconds, 30);
    assert.equal((await t.api.get('/api/v1/namespaces/default/pods/bind-me')).status, 200);
    await t.api.delete('/api/v1/namespaces/default/pods/bind-me', { gracePeriodSeconds: 0 });
    assert.equal((await t.api.get('/api/v1/namespaces/default/pods/bind-me')).status, 404);
  });

  it('deletes an unscheduled pod at once, also through eviction', async () => {
    await t.api.post('/api/v1/namespaces/default/pods', pod('loose'));
    const res = await t.api.post('/api/v1/namespaces/default/pods/loose/eviction', {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'loose' },
    });
    assert.equal(res.status, 201);
    assert.equal((await t.api.get('/api/v1/namespaces/default/pods/loose')).status, 404);
  });

  it('reads and writes replicas through the scale subresource', async () => {
    await t.api.post('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'sc' },
      spec: {
        selector: { matchLabels: { app: 'sc' } },
        template: {
          metadata: { labels: { app: 'sc' } },
          spec: { containers: [{ name: 'c', image: 'docker.io/local/x:1' }] },
        },
      },
    });
    const scale = (await t.api.get('/apis/apps/v1/namespaces/default/deployments/sc/scale')).json();
    assert.deepEqual(
      { kind: scale.kind, replicas: scale.spec.replicas, selector: scale.status.selector },
      { kind: 'Scale', replicas: 1, selector: 'app=sc' },
    );
    const patched = await t.api.patch(
      '/apis/apps/v1/namespaces/default/deployments/sc/scale',
      { spec: { replicas: 4 } },
      'application/merge-patch+json',
    );
    assert.equal(patched.json().spec.replicas, 4);
    assert.equal(
      (await t.api.get('/apis/apps/v1/namespaces/default/deployments/sc')).json().spec.replicas,
      4,
    );
    const negative = await t.api.patch(
      '/apis/apps/v1/namespaces/default/deployments/sc/scale',
      { spec: { replicas: -2 } },
      'application/merge-patch+json',
    );
    assert.equal(negative.status, 422);
  });

  it('empties a deleted namespace, refuses new content meanwhile, then removes it', async () => {
    await t.api.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'doomed' },
    });
    await t.api.post('/api/v1/namespaces/doomed/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', finalizers: ['example.com/hold'] },
    });
    await t.api.post('/api/v1/namespaces/doomed/services', {
      ...svc('s1'),
      metadata: { name: 's1', namespace: 'doomed' },
    });
    const ip = (await t.api.get('/api/v1/namespaces/doomed/services/s1')).json().spec.clusterIP;
    const deleting = (await t.api.delete('/api/v1/namespaces/doomed')).json();
    assert.equal(deleting.status.phase, 'Terminating');
    await eventually(async () => (await t.api.get('/api/v1/namespaces/doomed/services/s1')).status === 404);
    const refused = await t.api.post('/api/v1/namespaces/doomed/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'late' },
    });
    assert.equal(refused.status, 403);
    assert.match(refused.json().message, /because it is being terminated/);
    assert.equal((await t.api.get('/api/v1/namespaces/doomed')).json().status.phase, 'Terminating');
    await t.api.patch(
      '/api/v1/namespaces/doomed/configmaps/held',
      { metadata: { finalizers: null } },
      'application/merge-patch+json',
    );
    await eventually(async () => (await t.api.get('/api/v1/namespaces/doomed')).status === 404);
    const reuse = await t.api.post('/api/v1/namespaces/default/services', svc('reuse-ip', { clusterIP: ip }));
    assert.equal(reuse.status, 201, 'the deleted service released its ClusterIP');
  });

  it('refuses to delete the default namespace', async () => {
    const res = await t.api.delete('/api/v1/namespaces/default');
    assert.equal(res.status, 403);
  });
});
