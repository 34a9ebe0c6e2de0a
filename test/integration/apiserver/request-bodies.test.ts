import assert from 'node:assert/strict';
import { assertStatus } from '../../helpers/assert-status.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const configmaps = '/api/v1/namespaces/default/configmaps';
const secrets = '/api/v1/namespaces/default/secrets';
const jsonPatch = 'application/json-patch+json';

describe('API server: request bodies are bounded', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
    await t.api.post(configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'seed' },
      data: { a: 'x'.repeat(24) },
    });
  });
  after(async () => {
    await t.close();
  });

  const storedSeed = async () => (await t.api.get(`${configmaps}/seed`)).json();

  it('refuses a JSON patch that copies a value into itself 26 times, and /healthz keeps answering', async () => {
    const before = await storedSeed();
    const bomb = Array.from({ length: 26 }, (_, i) => ({ op: 'copy', from: '/data', path: `/data/d${i}` }));
    const attacks = [1, 2, 3].map(() => t.api.patch(`${configmaps}/seed`, bomb, jsonPatch));
    const health = await t.api.get('/healthz');
    assert.equal(health.status, 200);
    assert.equal(health.text, 'ok');
    for (const res of await Promise.all(attacks)) {
      const status = assertStatus(res, 422, 'Invalid');
      assert.match(
        status.message,
        /^Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 3145728$/,
      );
    }
    assert.deepEqual(await storedSeed(), before);
  });

  it('refuses a JSON patch of more than 10,000 operations with 413', async () => {
    const before = await storedSeed();
    const ops = Array.from({ length: 10_001 }, () => ({ op: 'add', path: '/data/k', value: 'v' }));
    const status = assertStatus(
      await t.api.patch(`${configmaps}/seed`, ops, jsonPatch),
      413,
      'RequestEntityTooLarge',
    );
    assert.equal(
      status.message,
      'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    );
    assert.deepEqual(await storedSeed(), before);
  });

  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('refuses JSON nested 2,000 deep with 400 (not a 500), and stores nothing', async () => {
    const body = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":{},"x":${nested(2000)}}`;
    const status = assertStatus(await t.api.post(configmaps, body), 400, 'BadRequest');
    assert.match(status.message, /exceeded max depth: objects and arrays may nest at most 64 levels/);
    assert.equal((await t.api.get(`${configmaps}/deep`)).status, 404);
  });

  it('refuses a deeply nested patch and leaves the object as it was', async () => {
    const before = await storedSeed();
    const patch = `{"metadata":{"annotations":{"x":null}},"y":${nested(2000)}}`;
    assertStatus(
      await t.api.patch(`${configmaps}/seed`, patch, 'application/merge-patch+json'),
      400,
      'BadRequest',
    );
    assert.deepEqual(await storedSeed(), before);
  });

  it('refuses YAML nested deeply with 400, also far past what the parser survives', async () => {
    for (const depth of [100, 1_000_000]) {
      const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep-yaml\nx: ${nested(depth)}\n`;
      const res = await t.api.send('POST', configmaps, yaml, { 'Content-Type': 'application/yaml' });
      const status = assertStatus(res, 400, 'BadRequest');
      assert.match(status.message, /not valid YAML: exceeded max depth/);
    }
    assert.equal((await t.api.get('/healthz')).status, 200);
  });

  it('accepts objects nested as deep as the limit allows', async () => {
    const body = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep-ok"},"data":{},"x":${nested(63)}}`;
    assert.equal((await t.api.post(configmaps, body)).status, 201);
  });

  it('refuses a Secret with 1.24 MB of data (1 MiB is the limit), and stores nothing', async () => {
    const payload = Buffer.alloc(1_240_000, 7).toString('base64');
    const res = await t.api.post(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'big' },
      data: { blob: payload },
    });
    const status = assertStatus(res, 422, 'Invalid');
    assert.match(
      status.message,
      /^Secret "big" is invalid: data: Too long: (must have at most|may not be more than) 1048576 bytes$/,
    );
    assert.equal((await t.api.get(`${secrets}/big`)).status, 404);
  });

  it('refuses a ConfigMap over 1 MiB, and a patch that grows one past it', async () => {
    const res = await t.api.post(configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big' },
      data: { blob: 'x'.repeat(1_100_000) },
    });
    assertStatus(res, 422, 'Invalid');
    assert.equal((await t.api.get(`${configmaps}/big`)).status, 404);
    const before = await storedSeed();
    const grow = await t.api.patch(
      `${configmaps}/seed`,
      { data: { blob: 'x'.repeat(1_048_577) } },
      'application/merge-patch+json',
    );
    assert.match(assertStatus(grow, 422, 'Invalid').message, /Too long/);
    assert.deepEqual(await storedSeed(), before);
  });

  it('refuses a body over 3 MiB with 413 and closes the connection instead of reading on', async () => {
    const res = await t.api.post(configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'huge' },
      data: { blob: 'x'.repeat(3 * 1024 * 1024) },
    });
    const status = assertStatus(res, 413, 'RequestEntityTooLarge');
    assert.equal(status.message, 'Request entity too large: limit is 3145728');
    assert.equal(res.headers.connection, 'close');
    assert.equal((await t.api.get(`${configmaps}/huge`)).status, 404);
  });
});
