import assert from 'node:assert/strict';
import { assertStatus } from '../../helpers/assert-status.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const base = '/apis/apps/v1/namespaces/default/deployments';
const merge = 'application/merge-patch+json';
const json = 'application/json-patch+json';
const strategic = 'application/strategic-merge-patch+json';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'docker.io/local/web:1' }] },
    },
  },
};

describe('API server: kind, apiVersion, name, namespace and uid cannot change', () => {
  let t: TestHub;
  let stored: any;
  before(async () => {
    t = await startTestHub();
    await t.api.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'other' },
    });
    stored = (await t.api.post(base, deployment)).json();
  });
  after(async () => {
    await t.close();
  });

  const unchanged = async () => {
    const res = await t.api.get(`${base}/web`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), stored);
  };

  const patches: [string, string, string, unknown, number, RegExp][] = [
    [
      'a merge patch of kind',
      '',
      merge,
      { kind: 'Secret' },
      422,
      /patch: Invalid value: .*no kind "Secret" is registered for version "apps\/v1"/,
    ],
    [
      'a merge patch of apiVersion',
      '',
      merge,
      { apiVersion: 'v9' },
      422,
      /no kind "Deployment" is registered for version "v9"/,
    ],
    [
      'a merge patch of the name',
      '',
      merge,
      { metadata: { name: 'other' } },
      400,
      /^the name of the object \(other\) does not match the name on the URL \(web\)$/,
    ],
    [
      'a merge patch of the namespace',
      '',
      merge,
      { metadata: { namespace: 'other' } },
      400,
      /namespace of the provided object does not match/,
    ],
    [
      'a merge patch of the uid',
      '',
      merge,
      { metadata: { uid: 'not-the-uid' } },
      422,
      /^Deployment.apps "web" is invalid: metadata.uid: Invalid value: "not-the-uid": field is immutable$/,
    ],
    [
      'a JSON patch of kind',
      '',
      json,
      [{ op: 'replace', path: '/kind', value: 'Secret' }],
      422,
      /no kind "Secret"/,
    ],
    [
      'a JSON patch of apiVersion',
      '',
      json,
      [{ op: 'replace', path: '/apiVersion', value: 'v9' }],
      422,
      /version "v9"/,
    ],
    [
      'a JSON patch removing the name',
      '',
      json,
      [{ op: 'remove', path: '/metadata/name' }],
      400,
      /^name must be provided$/,
    ],
    [
      'a JSON patch of the uid',
      '',
      json,
      [{ op: 'replace', path: '/metadata/uid', value: 'x' }],
      422,
      /metadata.uid: .*field is immutable/,
    ],
    ['a strategic merge patch of kind', '', strategic, { kind: 'ConfigMap' }, 422, /no kind "ConfigMap"/],
    [
      'a strategic merge patch of the name',
      '',
      strategic,
      { metadata: { name: 'x' } },
      400,
      /does not match the name on the URL/,
    ],
    ['a status merge patch of kind', '/status', merge, { kind: 'Secret' }, 422, /no kind "Secret"/],
    ['a status merge patch of apiVersion', '/status', merge, { apiVersion: 'v1' }, 422, /version "v1"/],
    [
      'a scale merge patch of kind',
      '/scale',
      merge,
      { kind: 'Deployment' },
      422,
      /no kind "Deployment" is registered for version "autoscaling\/v1"/,
    ],
    [
      'a scale JSON patch of the name',
      '/scale',
      json,
      [{ op: 'replace', path: '/metadata/name', value: 'x' }],
      400,
      /does not match the name on the URL/,
    ],
  ];
  for (const [what, sub, type, patch, code, message] of patches) {
    it(`refuses ${what} with ${code} and stores nothing`, async () => {
      const res = await t.api.patch(`${base}/web${sub}`, patch, type);
      const status = assertStatus(res, code, code === 400 ? 'BadRequest' : 'Invalid');
      assert.match(status.message, message);
      await unchanged();
    });
  }

  it('refuses a merge patch that makes kind an object with 422 and stores nothing', async () => {
    const res = await t.api.patch(`${base}/web`, { kind: { toString: ['x'] } }, merge);
    const status = assertStatus(res, 422, 'Invalid');
    assert.match(
      status.message,
      /no kind "\{\\"toString\\":\[\\"x\\"\]\}" is registered for version "apps\/v1"/,
    );
    await unchanged();
  });

  const puts: [string, string, (current: any) => unknown, number, RegExp][] = [
    [
      'kind',
      '',
      (c) => ({ ...c, kind: 'Secret' }),
      400,
      /the kind in the data \(Secret\) does not match the expected kind \(Deployment\)/,
    ],
    [
      'apiVersion',
      '',
      (c) => ({ ...c, apiVersion: 'v9' }),
      400,
      /the API version in the data \(v9\) does not match/,
    ],
    [
      'the name',
      '',
      (c) => ({ ...c, metadata: { ...c.metadata, name: 'x' } }),
      400,
      /does not match the name on the URL/,
    ],
    [
      'the uid',
      '',
      (c) => ({ ...c, metadata: { ...c.metadata, uid: 'x' } }),
      409,
      /Precondition failed: UID in precondition: x/,
    ],
    ['the status kind', '/status', (c) => ({ ...c, kind: 'Secret' }), 400, /the kind in the data/],
    // Found by the fuzz suite: values whose toString a client replaced with data made String()
    // throw, and the API server answered 500.
    [
      'kind to an object',
      '',
      (c) => ({ ...c, kind: { toString: ['x'] } }),
      400,
      /^couldn't get version\/kind; json parse error: json: cannot unmarshal object into Go struct field \.kind of type string$/,
    ],
    [
      'apiVersion to a number',
      '',
      (c) => ({ ...c, apiVersion: 1 }),
      400,
      /cannot unmarshal number into Go struct field \.apiVersion of type string$/,
    ],
    [
      'the name to an object',
      '',
      (c) => ({ ...c, metadata: { ...c.metadata, name: { toString: [] } } }),
      400,
      /the name of the object \(\{"toString":\[\]\}\) does not match the name on the URL/,
    ],
    [
      'the uid to an object',
      '',
      (c) => ({ ...c, metadata: { ...c.metadata, uid: { valueOf: 1, toString: 2 } } }),
      409,
      /UID in precondition: \{"valueOf":1,"toString":2\}/,
    ],
    [
      'the Scale kind',
      '/scale',
      () => ({ apiVersion: 'autoscaling/v1', kind: 'Deployment', spec: { replicas: 3 } }),
      400,
      /the kind in the data \(Deployment\) does not match the expected kind \(Scale\)/,
    ],
    [
      'the Scale name',
      '/scale',
      () => ({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'x' }, spec: { replicas: 3 } }),
      400,
      /does not match the name on the URL/,
    ],
    [
      'the Scale uid',
      '/scale',
      () => ({ kind: 'Scale', metadata: { name: 'web', uid: 'x' }, spec: { replicas: 3 } }),
      409,
      /Precondition failed/,
    ],
  ];
  for (const [what, sub, body, code, message] of puts) {
    it(`refuses a PUT${sub} that changes ${what} with ${code} and stores nothing`, async () => {
      const res = await t.api.put(`${base}/web${sub}`, body(structuredClone(stored)));
      const status = assertStatus(res, code, code === 400 ? 'BadRequest' : 'Conflict');
      assert.match(status.message, message);
      await unchanged();
    });
  }

  it('fills in a kind, apiVersion or uid that a patch removed, as kube defaults them', async () => {
    const res = await t.api.patch(
      `${base}/web`,
      [
        { op: 'remove', path: '/kind' },
        { op: 'remove', path: '/apiVersion' },
        { op: 'remove', path: '/metadata/uid' },
        { op: 'replace', path: '/metadata/labels/app', value: 'web2' },
      ],
      json,
    );
    assert.equal(res.status, 200, res.text);
    const got = (await t.api.get(`${base}/web`)).json();
    assert.equal(got.kind, 'Deployment');
    assert.equal(got.apiVersion, 'apps/v1');
    assert.equal(got.metadata.uid, stored.metadata.uid);
    assert.equal(got.metadata.labels.app, 'web2');
    stored = got;
  });
});
