import assert from 'node:assert/strict';
import type { ApiResponse } from '../../helpers/api-client.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const podsPath = '/api/v1/namespaces/default/pods';
const deploymentsPath = '/apis/apps/v1/namespaces/default/deployments';

function pod(name: string, container: Record<string, unknown> = {}): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: null },
    spec: { containers: [{ name: 'app', image: 'docker.io/local/web:1', ...container }] },
  };
}

function deployment(name: string, replicas: unknown = 1): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'docker.io/local/web:1' }] },
      },
    },
  };
}

/** The response is a 422 whose causes name `field` with `reason` and exactly `message`. */
function assertInvalid(res: ApiResponse, field: string, message: string, reason = 'FieldValueTypeInvalid') {
  assert.equal(res.status, 422, res.text);
  const status = res.json();
  assert.equal(status.kind, 'Status');
  assert.equal(status.reason, 'Invalid');
  assert.deepEqual(
    status.details.causes.find((c: { field: string }) => c.field === field),
    { reason, message, field },
    res.text,
  );
  assert.ok(status.message.includes(`${field}: ${message}`), status.message);
}

describe('API server: every field is checked for its JSON type', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
  });
  after(async () => {
    await t.close();
  });

  const refusedPods: Array<[string, Record<string, any>, string, string]> = [
    [
      'a null container',
      { ...pod('null-container'), spec: { containers: [null] } },
      'spec.containers[0]',
      'Invalid value: "null": spec.containers[0] in body must be of type object: "null"',
    ],
    [
      'a null port',
      pod('null-port', { ports: [null] }),
      'spec.containers[0].ports[0]',
      'Invalid value: "null": spec.containers[0].ports[0] in body must be of type object: "null"',
    ],
    [
      'a number as command',
      pod('number-command', { command: 42 }),
      'spec.containers[0].command',
      'Invalid value: "integer": spec.containers[0].command in body must be of type array: "integer"',
    ],
    [
      'an object in args',
      pod('object-args', { args: [{ a: 1 }] }),
      'spec.containers[0].args[0]',
      'Invalid value: "object": spec.containers[0].args[0] in body must be of type string: "object"',
    ],
    [
      'a non-string env value',
      pod('number-env', { env: [{ name: 'A', value: 5 }] }),
      'spec.containers[0].env[0].value',
      'Invalid value: "integer": spec.containers[0].env[0].value in body must be of type string: "integer"',
    ],
  ];

  for (const [what, body, field, message] of refusedPods) {
    it(`refuses a pod with ${what} with 422 naming the field, and stores nothing`, async () => {
      assertInvalid(await t.api.post(podsPath, body), field, message);
      const name = body.metadata.name as string;
      assert.equal((await t.api.get(`${podsPath}/${name}`)).status, 404);
    });
  }

  it('refuses replicas beyond int32, as Kubernetes declares them', async () => {
    const res = await t.api.post(deploymentsPath, deployment('huge', 9007199254740992));
    assertInvalid(
      res,
      'spec.replicas',
      'Invalid value: 9007199254740992: spec.replicas in body should be less than or equal to 2147483647',
      'FieldValueInvalid',
    );
    assert.equal((await t.api.get(`${deploymentsPath}/huge`)).status, 404);
  });

  it('refuses replicas beyond int32 through the scale subresource too', async () => {
    assert.equal((await t.api.post(deploymentsPath, deployment('scaled'))).status, 201);
    const res = await t.api.send(
      'PATCH',
      `${deploymentsPath}/scaled/scale`,
      { spec: { replicas: 9007199254740992 } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    assertInvalid(
      res,
      'spec.replicas',
      'Invalid value: 9007199254740992: spec.replicas in body should be less than or equal to 2147483647',
      'FieldValueInvalid',
    );
    assert.equal((await t.api.get(`${deploymentsPath}/scaled`)).json().spec.replicas, 1);
  });

  it('refuses an int64 field beyond what the hub stores exactly', async () => {
    const body = pod('long-grace');
    body.spec.terminationGracePeriodSeconds = 2 ** 63;
    assertInvalid(
      await t.api.post(podsPath, body),
      'spec.terminationGracePeriodSeconds',
      `Invalid value: ${2 ** 63}: spec.terminationGracePeriodSeconds in body should be less than or equal to 9007199254740991`,
      'FieldValueInvalid',
    );
  });

  it('accepts real manifests: null fields, numeric quantities, int-or-string ports, unknown fields', async () => {
    const body = pod('real', {
      resources: { limits: { cpu: 1, memory: '64Mi' }, requests: { cpu: '100m' } },
      livenessProbe: { httpGet: { path: '/', port: 8080 } },
      readinessProbe: { tcpSocket: { port: 'http' } },
      ports: [{ name: 'http', containerPort: 8080 }],
      futureField: { anything: [null, 1] },
    });
    body.spec.nodeSelector = null;
    body.status = {};
    const res = await t.api.post(podsPath, body);
    assert.equal(res.status, 201, res.text);
  });

  it('checks the object a merge patch produces', async () => {
    assert.equal((await t.api.post(deploymentsPath, deployment('patched'))).status, 201);
    const res = await t.api.send(
      'PATCH',
      `${deploymentsPath}/patched`,
      { spec: { replicas: '3' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    assertInvalid(
      res,
      'spec.replicas',
      'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    );
    const stored = (await t.api.get(`${deploymentsPath}/patched`)).json();
    assert.equal(stored.spec.replicas, 1);
  });

  it('checks the object a JSON patch produces', async () => {
    assert.equal((await t.api.post(podsPath, pod('json-patched'))).status, 201);
    const res = await t.api.send(
      'PATCH',
      `${podsPath}/json-patched`,
      [{ op: 'add', path: '/spec/containers/0/command', value: [1, 'x'] }],
      { 'Content-Type': 'application/json-patch+json' },
    );
    assertInvalid(
      res,
      'spec.containers[0].command[0]',
      'Invalid value: "integer": spec.containers[0].command[0] in body must be of type string: "integer"',
    );
  });

  it('checks the object a strategic merge patch produces', async () => {
    assert.equal((await t.api.post(podsPath, pod('smp-patched'))).status, 201);
    const res = await t.api.send(
      'PATCH',
      `${podsPath}/smp-patched`,
      { metadata: { labels: { app: null, tier: 7 } } },
      { 'Content-Type': 'application/strategic-merge-patch+json' },
    );
    assertInvalid(
      res,
      'metadata.labels[tier]',
      'Invalid value: "integer": metadata.labels[tier] in body must be of type string: "integer"',
    );
  });

  it('checks the object of an update, and of a status update', async () => {
    const created = (await t.api.post(podsPath, pod('updated'))).json();
    const update = structuredClone(created);
    update.spec.containers[0].env = [null];
    assertInvalid(
      await t.api.send('PUT', `${podsPath}/updated`, update),
      'spec.containers[0].env[0]',
      'Invalid value: "null": spec.containers[0].env[0] in body must be of type object: "null"',
    );
    const status = structuredClone(created);
    status.status = { phase: 'Running', containerStatuses: [{ name: 'app', restartCount: 'many' }] };
    assertInvalid(
      await t.api.send('PUT', `${podsPath}/updated/status`, status),
      'status.containerStatuses[0].restartCount',
      'Invalid value: "string": status.containerStatuses[0].restartCount in body must be of type integer: "string"',
    );
  });
});
