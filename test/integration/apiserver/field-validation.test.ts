import assert from 'node:assert/strict';
import type { ApiResponse } from '../../helpers/api-client.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const configMaps = '/api/v1/namespaces/default/configmaps';
const pods = '/api/v1/namespaces/default/pods';
const deployments = '/apis/apps/v1/namespaces/default/deployments';

function deployment(name: string): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'docker.io/local/web:1', comand: ['sh'] }] },
      },
    },
  };
}

/** A 400 BadRequest Status with exactly this message. */
function assertStrictError(res: ApiResponse, message: string): void {
  assert.equal(res.status, 400, res.text);
  const status = res.json();
  assert.equal(status.reason, 'BadRequest');
  assert.equal(status.message, message);
}

/** The Warning headers, which Node's client joins into one line. */
function warnings(res: ApiResponse): string[] {
  const header = res.headers.warning;
  const joined = header === undefined ? '' : Array.isArray(header) ? header.join(', ') : header;
  return joined === '' ? [] : joined.split(/, (?=299 - )/);
}

describe('API server: fieldValidation (unknown and duplicate fields)', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
  });
  after(async () => {
    await t.close();
  });

  it('refuses unknown fields with Strict, naming each path, and stores nothing', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typo' }, datta: { a: '1' } };
    assertStrictError(
      await t.api.post(`${configMaps}?fieldValidation=Strict`, cm),
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "datta"',
    );
    assert.equal((await t.api.get(`${configMaps}/typo`)).status, 404);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'typo' },
      spec: {
        containers: [{ name: 'app', image: 'docker.io/local/web:1', comand: ['sleep', '1'] }],
        nodeSelecter: {},
      },
    };
    assertStrictError(
      await t.api.post(`${pods}?fieldValidation=Strict`, pod),
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].comand", unknown field "spec.nodeSelecter"',
    );
    assertStrictError(
      await t.api.post(`${deployments}?fieldValidation=Strict`, deployment('typo')),
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].comand"',
    );
  });

  it('warns by default (Warn) and with Warn, and never stores an unknown field', async () => {
    for (const [name, query] of [
      ['warned-default', ''],
      ['warned', '?fieldValidation=Warn'],
    ]) {
      const res = await t.api.post(`${configMaps}${query}`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name },
        data: { mode: 'edge' },
        datta: { a: '1' },
      });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(warnings(res), ['299 - "unknown field \\"datta\\""']);
      assert.equal(res.json().datta, undefined, 'the reply is what was stored');
      const stored = (await t.api.get(`${configMaps}/${name}`)).json();
      assert.deepEqual(stored.data, { mode: 'edge' });
      assert.equal(stored.datta, undefined);
    }
  });

  it('drops unknown fields silently with Ignore', async () => {
    const res = await t.api.post(`${deployments}?fieldValidation=Ignore`, deployment('ignored'));
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(warnings(res), []);
    const stored = (await t.api.get(`${deployments}/ignored`)).json();
    const container = stored.spec.template.spec.containers[0];
    assert.equal(container.image, 'docker.io/local/web:1');
    assert.equal(container.comand, undefined);
  });

  it('reports keys a JSON body names twice, in Strict and Warn', async () => {
    const body =
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup"},"data":{"a":"1","b":"2","a":"3"}}';
    assertStrictError(
      await t.api.post(`${configMaps}?fieldValidation=Strict`, body),
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", duplicate field "data.a"',
    );
    const warned = await t.api.post(`${configMaps}?fieldValidation=Warn`, body);
    assert.equal(warned.status, 201, warned.text);
    assert.deepEqual(warnings(warned), [
      '299 - "duplicate field \\"metadata.name\\""',
      '299 - "duplicate field \\"data.a\\""',
    ]);
    // The last one wins, as Go's decoder keeps it too.
    assert.deepEqual(warned.json().data, { a: '3', b: '2' });
  });

  it('checks what a patch or an update adds, on every kind', async () => {
    const clean = deployment('patched');
    delete clean.spec.template.spec.containers[0].comand;
    assert.equal((await t.api.post(deployments, clean)).status, 201);
    assertStrictError(
      await t.api.patch(
        `${deployments}/patched?fieldValidation=Strict`,
        { spec: { replicaz: 3 } },
        'application/merge-patch+json',
      ),
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"',
    );
    const warned = await t.api.patch(
      `${deployments}/patched?fieldValidation=Warn`,
      { spec: { replicaz: 3, replicas: 2 } },
      'application/merge-patch+json',
    );
    assert.equal(warned.status, 200, warned.text);
    assert.deepEqual(warnings(warned), ['299 - "unknown field \\"spec.replicaz\\""']);
    assert.equal(warned.json().spec.replicas, 2);
    assert.equal(warned.json().spec.replicaz, undefined);
    const current = (await t.api.get(`${deployments}/patched`)).json();
    assertStrictError(
      await t.api.put(`${deployments}/patched?fieldValidation=Strict`, {
        ...current,
        status: { ...current.status, readyReplicaz: 1 },
      }),
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "status.readyReplicaz"',
    );
  });

  it('leaves free-form parts free: labels, annotations, map keys, resource names, managedFields', async () => {
    const res = await t.api.post(`${pods}?fieldValidation=Strict`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'free-form',
        labels: { 'anything.example.com/key': 'v' },
        annotations: { note: 'x' },
        managedFields: [
          {
            manager: 'kubectl',
            operation: 'Update',
            apiVersion: 'v1',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:anything.example.com/key': {} } } },
          },
        ],
      },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'docker.io/local/web:1',
            resources: { limits: { 'example.com/widget': '1', memory: '64Mi' } },
          },
        ],
        nodeSelector: { 'flotilla.io/site': 'hall-3' },
      },
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(warnings(res), []);
  });

  it('refuses an unknown mode as kube-apiserver does (422 naming the options kind)', async () => {
    const res = await t.api.post(`${configMaps}?fieldValidation=strict`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'mode' },
    });
    assert.equal(res.status, 422, res.text);
    assert.equal(
      res.json().message,
      'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "Ignore", "Strict", "Warn"',
    );
    const patch = await t.api.patch(
      `${configMaps}/warned?fieldValidation=Loose`,
      { data: {} },
      'application/merge-patch+json',
    );
    assert.equal(patch.status, 422, patch.text);
    assert.match(
      patch.json().message,
      /^PatchOptions\.meta\.k8s\.io "" is invalid: fieldValidation: Unsupported value: "Loose"/,
    );
  });
});
