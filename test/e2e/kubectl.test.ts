// The hub driven by real kubectl 1.32 against the real `flotilla hub` process.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl } from '../helpers/kubectl.js';

const manifest = readFileSync(join(import.meta.dirname, 'fixtures/shop.yaml'), 'utf8');

describe('kubectl 1.32 against the hub', function () {
  this.timeout(60_000);
  let hub: HubProcess;
  let kubectl: Kubectl;

  before(async () => {
    hub = await startHubProcess();
    kubectl = new Kubectl(hub.kubeconfig);
  });
  after(async () => {
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  it('works with the admin kubeconfig the hub wrote on first start', async () => {
    const out = await kubectl.ok(['get', 'namespaces']);
    assert.match(out, /^NAME\s+STATUS\s+AGE/);
    assert.match(out, /\ndefault\s+Active\s+/);
    assert.match(out, /\nkube-node-lease\s+Active/);
    assert.equal((await kubectl.ok(['get', 'nodes'])).trim(), '');
  });

  it('applies a multi-document manifest: created, then unchanged, then configured', async () => {
    const created = await kubectl.ok(['apply', '-f', '-'], manifest);
    assert.deepEqual(created.trim().split('\n'), [
      'namespace/shop created',
      'configmap/shop-config created',
      'secret/shop-secret created',
      'deployment.apps/web created',
      'service/web created',
      'cronjob.batch/report created',
    ]);
    const again = await kubectl.ok(['apply', '-f', '-'], manifest);
    assert.deepEqual(again.trim().split('\n'), [
      'namespace/shop unchanged',
      'configmap/shop-config unchanged',
      'secret/shop-secret unchanged',
      'deployment.apps/web unchanged',
      'service/web unchanged',
      'cronjob.batch/report unchanged',
    ]);
    const changed = manifest
      .replace('image: docker.io/local/web:1', 'image: docker.io/local/web:2')
      .replace(/ {12}- name: MODE\n {14}value: prod\n/, '');
    const configured = await kubectl.ok(['apply', '-f', '-'], changed);
    assert.match(configured, /deployment\.apps\/web configured/);
    assert.match(configured, /configmap\/shop-config unchanged/);
    const deploy = JSON.parse(await kubectl.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'json']));
    const container = deploy.spec.template.spec.containers[0];
    assert.equal(container.image, 'docker.io/local/web:2');
    assert.deepEqual(
      container.env.map((e: any) => e.name),
      ['LOG_LEVEL'],
      'the removed env entry is gone',
    );
    assert.equal(deploy.metadata.generation, 2);
    const secret = JSON.parse(await kubectl.ok(['get', 'secret', 'shop-secret', '-n', 'shop', '-o', 'json']));
    assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 'hunter2');
  });

  it('gets tables, wide tables, JSON, YAML, by label, across namespaces and by field', async () => {
    const table = await kubectl.ok(['get', 'deployments', '-n', 'shop']);
    assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
    // No gateway runs the pods, so none is ready; the controller has created the up-to-date ones.
    assert.match(table, /\nweb\s+0\/2\s+\d+\s+0\s+\d+s/);
    const wide = await kubectl.ok(['get', 'deployments', '-n', 'shop', '-o', 'wide']);
    assert.match(wide, /CONTAINERS\s+IMAGES\s+SELECTOR/);
    assert.match(wide, /docker\.io\/local\/web:2\s+app=web/);
    const svc = await kubectl.ok(['get', 'svc', '-n', 'shop']);
    assert.match(svc, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\n/);
    assert.match(svc, /\nweb\s+NodePort\s+10\.43\.\d+\.\d+\s+<none>\s+80:3\d{4}\/TCP\s+/);
    const json = JSON.parse(
      await kubectl.ok(['get', 'configmap', 'shop-config', '-n', 'shop', '-o', 'json']),
    );
    assert.equal(json.data.MQTT_TOPIC, 'plant/7/line/1');
    const yaml = parseYaml(await kubectl.ok(['get', 'cronjob', 'report', '-n', 'shop', '-o', 'yaml']));
    assert.equal(yaml.spec.schedule, '*/5 * * * *');
    assert.equal(yaml.spec.concurrencyPolicy, 'Allow');
    const byLabel = await kubectl.ok(['get', 'ns', '-l', 'site=plant-7', '-o', 'name']);
    assert.equal(byLabel.trim(), 'namespace/shop');
    const all = await kubectl.ok(['get', 'configmaps', '-A']);
    assert.match(all, /^NAMESPACE\s+NAME\s+DATA\s+AGE\n/);
    assert.match(all, /\nshop\s+shop-config\s+2\s+/);
    const byField = await kubectl.ok([
      'get',
      'svc',
      '-A',
      '--field-selector',
      'metadata.namespace=shop',
      '-o',
      'name',
    ]);
    assert.equal(byField.trim(), 'service/web');
  });

  it('describes an object with its events', async () => {
    const out = await kubectl.ok(['describe', 'deployment', 'web', '-n', 'shop']);
    assert.match(out, /Name:\s+web/);
    assert.match(out, /Namespace:\s+shop/);
    assert.match(out, /Image:\s+docker\.io\/local\/web:2/);
    const pods = await kubectl.ok(['describe', 'configmap', 'shop-config', '-n', 'shop']);
    assert.match(pods, /LOG_LEVEL/);
  });

  it('patches, labels, annotates and scales', async () => {
    await kubectl.ok([
      'patch',
      'deployment',
      'web',
      '-n',
      'shop',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"docker.io/local/web:3"}]}}}}',
    ]);
    await kubectl.ok([
      'patch',
      'configmap',
      'shop-config',
      '-n',
      'shop',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/data/EXTRA","value":"1"}]',
    ]);
    await kubectl.ok(['label', 'deployment', 'web', '-n', 'shop', 'tier=frontend']);
    await kubectl.ok(['annotate', 'deployment', 'web', '-n', 'shop', 'owner=line-1']);
    const scaled = await kubectl.ok(['scale', 'deployment', 'web', '-n', 'shop', '--replicas', '5']);
    assert.match(scaled, /deployment\.apps\/web scaled/);
    const deploy = JSON.parse(await kubectl.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'json']));
    assert.equal(deploy.spec.template.spec.containers[0].image, 'docker.io/local/web:3');
    assert.equal(deploy.metadata.labels.tier, 'frontend');
    assert.equal(deploy.metadata.annotations.owner, 'line-1');
    assert.equal(deploy.spec.replicas, 5);
    await kubectl.ok(['label', 'deployment', 'web', '-n', 'shop', 'tier-']);
    const unlabelled = JSON.parse(await kubectl.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'json']));
    assert.equal(unlabelled.metadata.labels.tier, undefined);
    const cm = JSON.parse(await kubectl.ok(['get', 'cm', 'shop-config', '-n', 'shop', '-o', 'json']));
    assert.equal(cm.data.EXTRA, '1');
  });

  it('sees ADDED, MODIFIED and DELETED with get -w', async () => {
    const cm = (name: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  a: "1"\n`;
    await kubectl.ok(['apply', '-f', '-'], cm('listed'));
    const watch = kubectl.spawnLong(['get', 'configmaps', '-n', 'default', '-w', '--output-watch-events']);
    try {
      // The initial list arrives as ADDED events; once it is printed the watch is open.
      await eventually(() => /ADDED\s+listed/.test(watch.output()), { timeoutMs: 15_000 });
      assert.match(watch.output(), /^EVENT\s+NAME\s+DATA\s+AGE/);
      await kubectl.ok(['apply', '-f', '-'], cm('watched'));
      await eventually(() => /ADDED\s+watched/.test(watch.output()), { timeoutMs: 15_000 });
      await kubectl.ok([
        'patch',
        'configmap',
        'watched',
        '-n',
        'default',
        '-p',
        '{"data":{"a":"2","b":"3"}}',
      ]);
      await eventually(() => /MODIFIED\s+watched\s+2/.test(watch.output()), { timeoutMs: 15_000 });
      await kubectl.ok(['delete', 'configmap', 'watched', '-n', 'default']);
      await eventually(() => /DELETED\s+watched/.test(watch.output()), { timeoutMs: 15_000 });
    } finally {
      watch.stop();
    }
  });

  it('returns messages that name the field for invalid manifests, and stores nothing', async () => {
    const bad = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: Bad_Name
  namespace: shop
spec:
  replicas: -1
  selector:
    matchLabels: {app: bad}
  template:
    metadata:
      labels: {app: other}
    spec:
      containers:
        - name: c
`;
    const result = await kubectl.run(['apply', '-f', '-'], bad);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /metadata\.name: Invalid value: "Bad_Name"/);
    assert.match(result.stderr, /spec\.replicas: Invalid value: -1/);
    assert.match(result.stderr, /spec\.template\.spec\.containers\[0\]\.image: Required value/);
    assert.match(result.stderr, /spec\.template\.metadata\.labels/);
    const unknownKind = await kubectl.run(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: Gizmo\nmetadata:\n  name: g\n',
    );
    assert.notEqual(unknownKind.code, 0);
    assert.match(unknownKind.stderr, /Gizmo/);
  });

  it('keeps everything across a hub restart', async () => {
    const before = await kubectl.ok(['get', 'deploy,svc,cronjob,cm,secret', '-n', 'shop', '-o', 'name']);
    assert.equal(await hub.stop(), 0, 'the hub exits cleanly on SIGTERM');
    hub = await startHubProcess(hub.dataDir);
    kubectl = new Kubectl(hub.kubeconfig);
    const after = await kubectl.ok(['get', 'deploy,svc,cronjob,cm,secret', '-n', 'shop', '-o', 'name']);
    assert.equal(after, before);
    const deploy = JSON.parse(await kubectl.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'json']));
    assert.equal(deploy.spec.replicas, 5);
  });

  it('deletes a deployment, and a namespace with everything in it', async () => {
    assert.match(
      await kubectl.ok(['delete', 'deployment', 'web', '-n', 'shop']),
      /deployment\.apps "web" deleted/,
    );
    const out = await kubectl.ok(['delete', 'namespace', 'shop', '--timeout=30s']);
    assert.match(out, /namespace "shop" deleted/);
    const gone = await kubectl.run(['get', 'namespace', 'shop']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /namespaces "shop" not found/);
    assert.equal((await kubectl.ok(['get', 'cm', '-n', 'shop', '-o', 'name'])).trim(), '');
  });
});
