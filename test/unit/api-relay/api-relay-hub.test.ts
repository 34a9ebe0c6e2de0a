import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { silentLogger } from '../../../api/logger.js';
import { encodePayload } from '../../../api/mqtt/codec.js';
import { validateApiReply, validateApiRequest } from '../../../api/mqtt/payloads/api-relay.js';
import { ApiRelayHub } from '../../../hub/api-relay/api-relay-hub.js';
import { eventually } from '../../helpers/eventually.js';
import { hearAsHub } from '../../helpers/hear-as-hub.js';

const node = 'gw-1';
const requests = `flotilla/v1/nodes/${node}/api/requests`;

/** A hub relay over a handler that echoes what it was given, or holds watches open. */
function aRelay(limits = {}) {
  const published: Array<{ topic: string; chunk: any }> = [];
  const seen: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> =
    [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (p: Buffer) => parts.push(p));
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(parts).toString(),
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-internal': 'no' });
      if (req.url?.includes('watch=true')) res.write('{"type":"ADDED"}\n');
      else res.end(JSON.stringify({ kind: 'Status', path: req.url }));
    });
  };
  const relay = new ApiRelayHub({
    publish: (topic, payload) => published.push({ topic, chunk: JSON.parse(payload.toString()) }),
    handler,
    limits,
    log: silentLogger,
  });
  const ask = (id: string, path: string, extra: object = {}) =>
    hearAsHub(relay)(requests, encodePayload({ id, method: 'GET', path, headers: {}, ...extra }));
  const chunks = (id: string) => published.filter((p) => p.chunk.id === id).map((p) => p.chunk);
  return { relay, published, seen, ask, chunks };
}

describe('API relay, the hub side', () => {
  it('runs a request through the API handler with only the pod headers and answers status, headers and body', async () => {
    const { ask, chunks, seen, relay } = aRelay();
    ask('r1', '/api/v1/pods?limit=5', {
      method: 'POST',
      headers: { authorization: 'Bearer pod-token', 'impersonate-group': ['a', 'b'] },
      body: '{"x":1}',
    });
    await eventually(() => chunks('r1').some((c) => c.end));
    assert.equal(seen[0]!.method, 'POST');
    assert.equal(seen[0]!.url, '/api/v1/pods?limit=5');
    assert.equal(seen[0]!.headers.authorization, 'Bearer pod-token');
    assert.equal(seen[0]!.headers['impersonate-group'], 'a, b');
    assert.equal(seen[0]!.body, '{"x":1}');
    const [head, ...rest] = chunks('r1');
    assert.deepEqual([head.seq, head.status, head.headers], [0, 200, { 'content-type': 'application/json' }]);
    assert.equal(rest.map((c) => c.data ?? '').join(''), '{"kind":"Status","path":"/api/v1/pods?limit=5"}');
    assert.deepEqual(
      chunks('r1').map((c) => c.seq),
      chunks('r1').map((_, i) => i),
    );
    assert.deepEqual(relay.runningFor(node), { requests: 0, watches: 0 });
  });

  it('answers 429 beyond the watches a gateway may hold, and stops a watch on cancel or when the gateway goes offline', async () => {
    const { ask, chunks, relay } = aRelay({ maxWatches: 2 });
    for (const id of ['w1', 'w2', 'w3']) ask(id, '/api/v1/pods?watch=true');
    await eventually(() => chunks('w1').length >= 2 && chunks('w2').length >= 2);
    assert.equal(chunks('w3')[0].status, 429);
    assert.equal(JSON.parse(chunks('w3')[1].data).reason, 'TooManyRequests');
    assert.deepEqual(relay.runningFor(node), { requests: 0, watches: 2 });
    hearAsHub(relay)(`flotilla/v1/nodes/${node}/api/cancel`, encodePayload({ id: 'w1' }));
    assert.equal(chunks('w1').at(-1).end, true);
    hearAsHub(relay)(
      `flotilla/v1/nodes/${node}/presence`,
      encodePayload({ state: 'offline', since: Date.now() }),
    );
    assert.equal(chunks('w2').at(-1).end, true);
    assert.deepEqual(relay.runningFor(node), { requests: 0, watches: 0 });
  });

  it('drops malformed requests without answering or throwing', () => {
    const { relay, published } = aRelay();
    hearAsHub(relay)(requests, Buffer.from('{not json'));
    hearAsHub(relay)(requests, encodePayload({ id: 'x/y', method: 'GET', path: '/' }));
    hearAsHub(relay)('flotilla/v1/nodes/gw-1/api/unknown', Buffer.from('{}'));
    assert.deepEqual(published, []);
  });
});

describe('API relay payloads', () => {
  it('accepts a request with relayed headers and refuses others, naming the field', () => {
    assert.ok(
      validateApiRequest({ id: 'a', method: 'GET', path: '/api', headers: { accept: 'application/json' } })
        .ok,
    );
    const cases: Array<[unknown, string]> = [
      [{ id: 'a', method: 'CONNECT', path: '/api' }, 'method: Unsupported value'],
      [{ id: 'a', method: 'GET', path: 'api' }, 'path: Invalid value: "api": must start with \'/\''],
      [{ id: 'a', method: 'GET', path: '/', headers: { host: 'evil' } }, 'headers.host: Invalid value'],
      [{ id: 'a', method: 'GET', path: '/', headers: { accept: 5 } }, 'headers.accept: Invalid value'],
    ];
    for (const [payload, error] of cases) {
      const result = validateApiRequest(payload);
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.error.startsWith(error), !result.ok ? result.error : '');
    }
  });

  it('checks a reply status and its headers', () => {
    assert.ok(
      validateApiReply({ id: 'a', seq: 0, status: 200, headers: { 'content-type': 'application/json' } }).ok,
    );
    const bad = validateApiReply({ id: 'a', seq: 0, status: 99, headers: { 'set-cookie': 'x' } });
    assert.ok(
      !bad.ok && bad.error.includes('status: Invalid value: 99') && bad.error.includes('headers.set-cookie'),
    );
  });
});
