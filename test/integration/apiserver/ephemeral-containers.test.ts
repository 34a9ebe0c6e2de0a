import assert from 'node:assert/strict';
import { aggregatedContentType } from '../../../hub/apiserver/discovery.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const pods = '/api/v1/namespaces/default/pods';
const smp = 'application/strategic-merge-patch+json';

const aPod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: name } },
  spec: { containers: [{ name: 'main', image: 'docker.io/local/busybox:1' }] },
});

/**
 * What kubectl 1.32 debug --target=main -c dbg -- sh -c ps sends (seen with -v=8): a strategic
 * merge patch of the pod, computed from the pod as read and the pod with the debugger appended.
 */
const debugPatch = (name: string, extra: Record<string, unknown> = {}) => ({
  spec: {
    ephemeralContainers: [
      {
        name,
        image: 'docker.io/local/busybox:1',
        command: ['sh', '-c', 'ps'],
        resources: {},
        terminationMessagePolicy: 'File',
        targetContainerName: 'main',
        ...extra,
      },
    ],
  },
});

describe('API server: pods/ephemeralcontainers', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
    assert.equal((await t.api.post(pods, aPod('web'))).status, 201);
  });
  after(async () => {
    await t.close();
  });

  it('adds an ephemeral container through a strategic merge patch, defaulted, and serves the pod', async () => {
    const patched = await t.api.patch(`${pods}/web/ephemeralcontainers`, debugPatch('dbg'), smp);
    assert.equal(patched.status, 200, patched.text);
    const [added] = patched.json().spec.ephemeralContainers;
    assert.equal(added.name, 'dbg');
    assert.equal(added.targetContainerName, 'main');
    assert.equal(added.terminationMessagePath, '/dev/termination-log');
    assert.equal(added.imagePullPolicy, 'IfNotPresent');
    const got = await t.api.get(`${pods}/web/ephemeralcontainers`);
    assert.equal(got.status, 200);
    assert.equal(got.json().kind, 'Pod');
    assert.deepEqual(
      got.json().spec.ephemeralContainers.map((c: { name: string }) => c.name),
      ['dbg'],
    );
  });

  it('keeps everything but the ephemeral containers as stored', async () => {
    const current = (await t.api.get(`${pods}/web`)).json();
    const body = structuredClone(current);
    body.metadata.labels = { app: 'changed' };
    body.spec.containers[0].image = 'docker.io/local/other:1';
    body.spec.ephemeralContainers.push({ name: 'dbg2', image: 'docker.io/local/busybox:1' });
    const put = await t.api.put(`${pods}/web/ephemeralcontainers`, body);
    assert.equal(put.status, 200, put.text);
    const after = (await t.api.get(`${pods}/web`)).json();
    assert.deepEqual(after.metadata.labels, { app: 'web' });
    assert.equal(after.spec.containers[0].image, 'docker.io/local/busybox:1');
    assert.deepEqual(
      after.spec.ephemeralContainers.map((c: { name: string }) => c.name),
      ['dbg', 'dbg2'],
    );
  });

  it('answers 422 naming the field for ports, a changed container or an unknown target', async () => {
    const ports = await t.api.patch(
      `${pods}/web/ephemeralcontainers`,
      debugPatch('dbg3', { ports: [{ containerPort: 80 }] }),
      smp,
    );
    assert.equal(ports.status, 422);
    assert.equal(ports.json().reason, 'Invalid');
    assert.deepEqual(ports.json().details.causes, [
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: cannot be set for an Ephemeral Container',
        field: 'spec.ephemeralContainers[2].ports',
      },
    ]);
    const changed = await t.api.patch(
      `${pods}/web/ephemeralcontainers`,
      debugPatch('dbg', { command: ['sh'] }),
      smp,
    );
    assert.equal(changed.status, 422);
    assert.match(
      changed.json().message,
      /spec\.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be changed/,
    );
    const target = await t.api.patch(
      `${pods}/web/ephemeralcontainers`,
      debugPatch('dbg4', { targetContainerName: 'nope' }),
      smp,
    );
    assert.equal(target.status, 422);
    assert.match(
      target.json().message,
      /spec\.ephemeralContainers\[2\]\.targetContainerName: Not found: "nope"/,
    );
  });

  it('refuses removing one through the subresource and changing them through a pod update', async () => {
    const current = (await t.api.get(`${pods}/web`)).json();
    const removed = structuredClone(current);
    removed.spec.ephemeralContainers.pop();
    const put = await t.api.put(`${pods}/web/ephemeralcontainers`, removed);
    assert.equal(put.status, 422);
    assert.match(put.json().message, /existing ephemeral containers "dbg2" may not be removed/);
    const update = await t.api.put(`${pods}/web`, removed);
    assert.equal(update.status, 422);
    assert.match(update.json().message, /pod updates may not change fields[\s\S]*spec\.ephemeralContainers/);
  });

  it('names the ephemeral containers among those pods/log can read', async () => {
    const two = aPod('two');
    two.spec.containers.push({ name: 'side', image: 'docker.io/local/busybox:1' });
    assert.equal((await t.api.post(pods, two)).status, 201);
    const patched = await t.api.patch(`${pods}/two/ephemeralcontainers`, debugPatch('dbg'), smp);
    assert.equal(patched.status, 200, patched.text);
    const log = await t.api.get(`${pods}/two/log`);
    assert.equal(log.status, 400);
    assert.equal(
      log.json().message,
      'a container name must be specified for pod two, choose one of: [main side] or one of the ephemeral containers: [dbg]',
    );
  });

  it('keeps them through a server-side apply of the pod, recorded under their own subresource', async () => {
    const apply = (image: string) =>
      t.api.patch(
        `${pods}/applied?fieldManager=deployer`,
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'applied' },
          spec: { containers: [{ name: 'main', image }] },
        },
        'application/apply-patch+yaml',
      );
    assert.equal((await apply('docker.io/local/busybox:1')).status, 201);
    const debugged = await t.api.patch(`${pods}/applied/ephemeralcontainers`, debugPatch('dbg'), smp);
    assert.equal(debugged.status, 200, debugged.text);
    const reapplied = await apply('docker.io/local/busybox:2');
    assert.equal(reapplied.status, 200, reapplied.text);
    const pod = reapplied.json();
    assert.equal(pod.spec.containers[0].image, 'docker.io/local/busybox:2');
    assert.deepEqual(
      pod.spec.ephemeralContainers.map((c: { name: string }) => c.name),
      ['dbg'],
    );
    const entry = pod.metadata.managedFields.find(
      (f: { subresource?: string }) => f.subresource === 'ephemeralcontainers',
    );
    assert.ok(
      entry?.fieldsV1?.['f:spec']?.['f:ephemeralContainers'],
      JSON.stringify(pod.metadata.managedFields),
    );
  });

  it('refuses a pod created with ephemeral containers', async () => {
    const pod = aPod('born-with');
    const created = await t.api.post(pods, { ...pod, spec: { ...pod.spec, ...debugPatch('dbg').spec } });
    assert.equal(created.status, 422);
    assert.match(created.json().message, /spec\.ephemeralContainers: Forbidden: cannot be set on create/);
  });

  it('lists the subresource in discovery and in OpenAPI', async () => {
    const discovery = await t.api.get('/api', { accept: aggregatedContentType });
    const resources = discovery.json().items[0].versions[0].resources;
    const podResource = resources.find((r: { resource: string }) => r.resource === 'pods');
    const sub = podResource.subresources.find(
      (s: { subresource: string }) => s.subresource === 'ephemeralcontainers',
    );
    assert.deepEqual(sub.verbs, ['get', 'patch', 'update']);
    const openapi = (await t.api.get('/openapi/v3/api/v1')).json();
    const path = openapi.paths['/api/v1/namespaces/{namespace}/pods/{name}/ephemeralcontainers'];
    assert.ok(path?.patch && path.put && path.get);
    const field = openapi.components.schemas['io.k8s.api.core.v1.PodSpec'].properties.ephemeralContainers;
    assert.equal(field.items.$ref, '#/components/schemas/io.k8s.api.core.v1.EphemeralContainer');
    assert.equal(field['x-kubernetes-patch-merge-key'], 'name');
  });
});
