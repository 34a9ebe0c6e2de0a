import assert from 'node:assert/strict';
import { connect, type TLSSocket } from 'node:tls';
import { assertStatus } from '../../helpers/assert-status.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const configmaps = '/api/v1/namespaces/default/configmaps';

/** A raw TLS connection to the hub that writes only what a test tells it to. */
function rawConnection(t: TestHub): { socket: TLSSocket; closed: () => boolean; received: () => string } {
  const socket = connect({ host: '127.0.0.1', port: t.hub.apiPort, ca: t.hub.caPem });
  let closed = false;
  let received = '';
  socket.on('data', (d: Buffer) => {
    received += d.toString();
  });
  socket.on('close', () => {
    closed = true;
  });
  socket.on('error', () => {});
  return { socket, closed: () => closed, received: () => received };
}

const requestHead = (t: TestHub, method: string, path: string, extra: string[] = []) =>
  [
    `${method} ${path} HTTP/1.1`,
    'Host: hub',
    `Authorization: Bearer ${t.hub.adminToken}`,
    ...extra,
    '',
    '',
  ].join('\r\n');

describe('API server: idle and slow connections are timed out', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub(undefined, {
      apiLimits: { headersTimeoutMs: 300, idleTimeoutMs: 300, requestTimeoutMs: 1000 },
    });
  });
  after(async () => {
    await t.close();
  });

  it('closes a connection that never sends a request', async () => {
    const conn = rawConnection(t);
    await eventually(() => conn.closed());
    assert.equal(conn.received(), '');
  });

  it('closes a connection that sends half a request head and stops', async () => {
    const conn = rawConnection(t);
    conn.socket.once('secureConnect', () => conn.socket.write('GET /healthz HTTP/1.1\r\nHost: hub\r\n'));
    await eventually(() => conn.closed());
  });

  it('closes a kept-alive connection left idle after an answer', async () => {
    const conn = rawConnection(t);
    conn.socket.once('secureConnect', () => conn.socket.write('GET /healthz HTTP/1.1\r\nHost: hub\r\n\r\n'));
    await eventually(() => conn.closed());
    assert.match(conn.received(), /^HTTP\/1.1 200 OK/);
  });

  it('answers a body that never finishes with 504 Timeout, closes the connection, stores nothing', async () => {
    const conn = rawConnection(t);
    const head = requestHead(t, 'POST', configmaps, [
      'Content-Type: application/json',
      'Content-Length: 200',
    ]);
    conn.socket.once('secureConnect', () =>
      conn.socket.write(`${head}{"apiVersion":"v1","kind":"ConfigMap",`),
    );
    await eventually(() => conn.closed());
    const [headers, body] = conn.received().split('\r\n\r\n');
    assert.match(headers ?? '', /^HTTP\/1.1 504 /);
    assert.match(headers ?? '', /\r\nConnection: close\r\n/i);
    const status = JSON.parse(body ?? '');
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, 'Timeout');
    assert.equal(
      status.message,
      'Timeout: request did not complete within requested timeout - context deadline exceeded',
    );
    // Only the namespace's CA bundle (kube-root-ca.crt) is there.
    assert.deepEqual(
      (await t.api.get(configmaps)).json().items.map((i: any) => i.metadata.name),
      ['kube-root-ca.crt'],
    );
  });

  it('lets a watch run past the request timeout (long-running requests are exempt)', async () => {
    await t.api.post(configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'watched' },
      data: {},
    });
    const watch = t.api.stream(`${configmaps}?watch=true&timeoutSeconds=2`);
    await watch.ended;
    assert.deepEqual(
      watch.events.map((e) => `${e.type} ${(e.object as any).metadata.name}`),
      ['ADDED kube-root-ca.crt', 'ADDED watched'],
      'the watch ends by its own timeoutSeconds, not with a 504',
    );
  });
});

describe('API server: requests in flight are limited', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub(undefined, {
      apiLimits: { maxMutatingRequestsInflight: 1, maxRequestsInflight: 1 },
    });
  });
  after(async () => {
    await t.close();
  });

  it('answers 429 with Retry-After past the mutating limit; reads, watches and /healthz go on', async () => {
    // Holds the only mutating slot: a POST whose body is still arriving.
    const held = rawConnection(t);
    const head = requestHead(t, 'POST', configmaps, [
      'Content-Type: application/json',
      'Content-Length: 200',
    ]);
    held.socket.once('secureConnect', () => held.socket.write(`${head}{`));
    // A malformed body is a 400 when admitted and creates nothing: probe until the slot is held.
    await eventually(async () => (await t.api.post(configmaps, '{')).status === 429);
    const refused = await t.api.post(configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'second' },
    });
    const status = assertStatus(refused, 429, 'TooManyRequests');
    assert.equal(status.message, 'Too many requests, please try again later.');
    assert.deepEqual(status.details, { retryAfterSeconds: 1 });
    assert.equal(refused.headers['retry-after'], '1');
    assert.equal((await t.api.get(`${configmaps}/second`)).status, 404);

    // Watches do not take read-only slots: with a limit of one, a list still gets through.
    const watches = [t.api.stream(`${configmaps}?watch=true`), t.api.stream(`${configmaps}?watch=true`)];
    assert.equal((await t.api.get(configmaps)).status, 200);
    assert.equal((await t.api.get('/healthz')).status, 200);
    for (const w of watches) w.stop();

    held.socket.destroy();
    await eventually(
      async () =>
        (await t.api.post(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'third' } }))
          .status === 201,
    );
  });
});
