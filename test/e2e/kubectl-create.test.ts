// `kubectl create <kind>` sends Kubernetes protobuf (its typed clients do), and `kubectl apply`
// of a kind the hub does not serve falls back to the OpenAPI v2 document: both against the real
// `flotilla hub` process with the real kubectl 1.32.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl } from '../helpers/kubectl.js';

type Json = Record<string, any>;

describe('kubectl create (protobuf request bodies) against the hub', function () {
  this.timeout(60_000);
  let hub: HubProcess;
  let kubectl: Kubectl;

  const getJson = async (args: string[]): Promise<Json> =>
    JSON.parse(await kubectl.ok(['get', ...args, '-o', 'json']));

  before(async () => {
    hub = await startHubProcess();
    kubectl = new Kubectl(hub.kubeconfig);
  });
  after(async () => {
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  it('creates a namespace, and reads the JSON reply', async () => {
    const created = JSON.parse(await kubectl.ok(['create', 'namespace', 'team-a', '-o', 'json'])) as Json;
    assert.equal(created.metadata.name, 'team-a');
    assert.ok(created.metadata.uid, 'the reply is the stored object');
    const namespace = await getJson(['namespace', 'team-a']);
    assert.equal(namespace.status.phase, 'Active');
  });

  it('creates a config map and a generic secret', async () => {
    assert.equal(
      (
        await kubectl.ok([
          'create',
          'configmap',
          'app-config',
          '-n',
          'team-a',
          '--from-literal=greeting=hello',
          '--from-literal=empty=',
        ])
      ).trim(),
      'configmap/app-config created',
    );
    assert.deepEqual((await getJson(['configmap', 'app-config', '-n', 'team-a'])).data, {
      empty: '',
      greeting: 'hello',
    });
    await kubectl.ok([
      'create',
      'secret',
      'generic',
      'db-creds',
      '-n',
      'team-a',
      '--from-literal=username=admin',
    ]);
    const secret = await getJson(['secret', 'db-creds', '-n', 'team-a']);
    assert.equal(Buffer.from(secret.data.username, 'base64').toString(), 'admin');
  });

  it('creates a deployment with replicas and a port', async () => {
    await kubectl.ok([
      'create',
      'deployment',
      'web',
      '-n',
      'team-a',
      '--image=nginx:1.25',
      '--replicas=3',
      '--port=80',
    ]);
    const deployment = await getJson(['deployment', 'web', '-n', 'team-a']);
    assert.equal(deployment.spec.replicas, 3);
    assert.deepEqual(deployment.spec.selector, { matchLabels: { app: 'web' } });
    const [container] = deployment.spec.template.spec.containers;
    assert.equal(container.image, 'nginx:1.25');
    assert.equal(container.ports[0].containerPort, 80);
  });

  it('creates a node-port service', async () => {
    await kubectl.ok([
      'create',
      'service',
      'nodeport',
      'web',
      '-n',
      'team-a',
      '--tcp=80:8080',
      '--node-port=30080',
    ]);
    const service = await getJson(['service', 'web', '-n', 'team-a']);
    assert.equal(service.spec.type, 'NodePort');
    assert.deepEqual(
      [service.spec.ports[0].port, service.spec.ports[0].targetPort, service.spec.ports[0].nodePort],
      [80, 8080, 30080],
    );
    assert.deepEqual(service.spec.selector, { app: 'web' });
    assert.ok(service.spec.clusterIP, 'a cluster IP was allocated');
  });

  it('creates a cron job, and a job from it', async () => {
    await kubectl.ok([
      'create',
      'cronjob',
      'nightly',
      '-n',
      'team-a',
      '--image=busybox:1.36',
      '--schedule=*/5 * * * *',
      '--',
      'echo',
      'hi',
    ]);
    const cronJob = await getJson(['cronjob', 'nightly', '-n', 'team-a']);
    assert.equal(cronJob.spec.schedule, '*/5 * * * *');
    assert.deepEqual(cronJob.spec.jobTemplate.spec.template.spec.containers[0].command, ['echo', 'hi']);
    await kubectl.ok(['create', 'job', 'nightly-now', '-n', 'team-a', '--from=cronjob/nightly']);
    const job = await getJson(['job', 'nightly-now', '-n', 'team-a']);
    assert.equal(job.metadata.ownerReferences[0].name, 'nightly');
    assert.equal(job.spec.template.spec.restartPolicy, 'OnFailure');
    await kubectl.ok(['create', 'job', 'once', '-n', 'team-a', '--image=busybox:1.36', '--', 'echo', 'done']);
    assert.equal((await getJson(['job', 'once', '-n', 'team-a'])).spec.template.spec.restartPolicy, 'Never');
  });

  it('runs a pod with env, port and labels', async () => {
    await kubectl.ok([
      'run',
      'p',
      '-n',
      'team-a',
      '--image=nginx:1.25',
      '--env=MODE=prod',
      '--port=8080',
      '--labels=app=p,tier=web',
    ]);
    const pod = await getJson(['pod', 'p', '-n', 'team-a']);
    assert.deepEqual(pod.metadata.labels, { app: 'p', tier: 'web' });
    assert.deepEqual(pod.spec.containers[0].env, [{ name: 'MODE', value: 'prod' }]);
    assert.equal(pod.spec.containers[0].ports[0].containerPort, 8080);
  });

  it('reports an unknown kind the way a real cluster does', async () => {
    const result = await kubectl.run(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: Gizmo\nmetadata:\n  name: g\n',
    );
    assert.notEqual(result.code, 0);
    assert.doesNotMatch(result.stderr, /failed to download openapi/);
    assert.match(result.stderr, /no matches for kind "Gizmo" in version "v1"/);
  });

  it('still applies known kinds, and re-applies a changed image', async () => {
    const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: team-a}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: ${image}}]
`;
    assert.match(await kubectl.ok(['apply', '-f', '-'], manifest('api:1')), /deployment\.apps\/api created/);
    assert.match(
      await kubectl.ok(['apply', '-f', '-'], manifest('api:2')),
      /deployment\.apps\/api configured/,
    );
    const deployment = await getJson(['deployment', 'api', '-n', 'team-a']);
    assert.equal(deployment.spec.template.spec.containers[0].image, 'api:2');
  });

  it('serves an OpenAPI v2 document kubectl can read', async () => {
    const out = await kubectl.ok(['explain', 'deployment.spec.replicas', '--output=plaintext-openapiv2']);
    assert.match(out, /KIND:\s+Deployment/);
    assert.match(out, /FIELD:\s+replicas <integer>/);
  });
});
