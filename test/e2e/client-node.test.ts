// The hub driven by the official JavaScript client, @kubernetes/client-node: typed calls and an
// informer (list, then watch from the list's resourceVersion).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';

describe('@kubernetes/client-node against the hub', function () {
  this.timeout(60_000);
  let hub: HubProcess;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;

  before(async () => {
    hub = await startHubProcess();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(hub.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(async () => {
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  it('creates, reads and lists through the typed API', async () => {
    await core.createNamespace({ body: { metadata: { name: 'typed' } } });
    await core.createNamespacedConfigMap({
      namespace: 'typed',
      body: { metadata: { name: 'cfg' }, data: { k: 'v' } },
    });
    const read = await core.readNamespacedConfigMap({ namespace: 'typed', name: 'cfg' });
    assert.equal(read.data?.k, 'v');
    const list = await core.listNamespacedConfigMap({ namespace: 'typed' });
    assert.deepEqual(
      list.items.map((i) => i.metadata?.name),
      // Every namespace has its CA bundle too.
      ['cfg', 'kube-root-ca.crt'],
    );
    await assert.rejects(
      core.readNamespacedConfigMap({ namespace: 'typed', name: 'nope' }),
      (err: any) => err.code === 404,
    );
  });

  it('keeps an informer cache in step with adds, updates and deletes', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'typed',
      body: { metadata: { name: 'pre-existing' } },
    });
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/typed/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'typed' }),
    );
    const seen: string[] = [];
    informer.on('add', (cm) => seen.push(`add ${cm.metadata?.name}`));
    informer.on('update', (cm) => seen.push(`update ${cm.metadata?.name} ${cm.data?.n ?? ''}`));
    informer.on('delete', (cm) => seen.push(`delete ${cm.metadata?.name}`));
    informer.on('error', (err) => seen.push(`error ${String(err)}`));
    await informer.start();
    try {
      await eventually(() => seen.includes('add pre-existing'));
      await core.createNamespacedConfigMap({ namespace: 'typed', body: { metadata: { name: 'live' } } });
      await eventually(() => seen.includes('add live'));
      await core.patchNamespacedConfigMap(
        { namespace: 'typed', name: 'live', body: { data: { n: '1' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await eventually(() => seen.includes('update live 1'));
      await core.deleteNamespacedConfigMap({ namespace: 'typed', name: 'live' });
      await eventually(() => seen.includes('delete live'));
      const cached = informer
        .list('typed')
        .map((cm) => cm.metadata?.name)
        .sort();
      assert.deepEqual(cached, ['cfg', 'kube-root-ca.crt', 'pre-existing']);
      assert.ok(!seen.some((s) => s.startsWith('error')), seen.join('\n'));
    } finally {
      await informer.stop();
    }
  });
});
