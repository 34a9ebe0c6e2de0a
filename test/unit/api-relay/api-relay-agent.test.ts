import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../../api/logger.js';
import { encodePayload } from '../../../api/mqtt/codec.js';
import type { ApiRequest } from '../../../api/mqtt/payloads/api-relay.js';
import { ApiRelay } from '../../../edge-agent/api-relay/api-relay.js';
import { RelayCache } from '../../../edge-agent/api-relay/relay-cache.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';

const node = 'gw-1';
const plain = { seal: (p: string) => p, open: (s: string) => s };

/** The relay behind plain HTTP on loopback, with a link that records what it would send. */
async function aRelay(limits = {}) {
  const sent: ApiRequest[] = [];
  const link = {
    connected: true,
    send: async (route: { name: string }, payload: unknown) => {
      if (route.name === 'apiRequest') sent.push(payload as ApiRequest);
    },
  };
  const dir = tempDir('relay-agent');
  const relay = new ApiRelay({
    nodeName: node,
    link,
    cache: new RelayCache(dir, plain),
    offlineSince: () => Date.parse('2026-12-07T10:00:00Z'),
    limits,
    log: silentLogger,
  });
  const server: Server = createServer(relay.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const call = (method: string, path: string, body?: Buffer, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method, path, headers: { authorization: 'Bearer t', ...headers } },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => {
            text += d.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      // Written apart from end(): chunked, so the relay reads the body to find its size.
      if (body) req.write(body);
      req.end();
    });
  const reply = (chunk: object) =>
    relay.receive(
      `flotilla/v1/nodes/${node}/api/replies/${(chunk as { id: string }).id}`,
      encodePayload(chunk),
    );
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  return { relay, link, sent, call, reply, close };
}

describe('API relay, the agent side', () => {
  it('puts the answer chunks back in order, whatever order they arrive in', async () => {
    const t = await aRelay();
    try {
      const answer = t.call('GET', '/api/v1/namespaces/default/configmaps?limit=5');
      const id = (await eventually(() => t.sent[0]))!.id;
      assert.equal(t.sent[0]!.path, '/api/v1/namespaces/default/configmaps?limit=5');
      assert.deepEqual(t.sent[0]!.headers, { authorization: 'Bearer t' });
      t.reply({ id, seq: 2, data: '"}', end: true });
      t.reply({ id, seq: 1, data: '{"a":"' });
      t.reply({ id, seq: 1, data: 'duplicate' });
      t.reply({ id, seq: 0, status: 200, headers: { 'content-type': 'application/json' } });
      assert.deepEqual(await answer, { status: 200, text: '{"a":""}' });
    } finally {
      await t.close();
    }
  });

  it('refuses a body over 1 MiB with 413 and more requests than allowed with 429, sending nothing', async () => {
    const t = await aRelay({ maxRequests: 1 });
    try {
      const big = await t.call(
        'POST',
        '/api/v1/namespaces/default/configmaps',
        Buffer.alloc(1024 * 1024 + 1, 'a'),
      );
      assert.equal(big.status, 413);
      assert.equal(JSON.parse(big.text).reason, 'RequestEntityTooLarge');
      const first = t.call('GET', '/api/v1/pods');
      await eventually(() => t.sent.length === 1);
      const second = await t.call('GET', '/api/v1/pods');
      assert.equal(second.status, 429);
      assert.equal(t.sent.length, 1);
      t.reply({ id: t.sent[0]!.id, seq: 0, status: 200, headers: {}, end: true });
      assert.equal((await first).status, 200);
      const bad = await t.call('OPTIONS', '/api');
      assert.equal(bad.status, 405);
      assert.equal(JSON.parse(bad.text).message, 'method OPTIONS is not relayed');
    } finally {
      await t.close();
    }
  });

  it('answers a request the link lost before any answer from the cache rules (503 for a write)', async () => {
    const t = await aRelay();
    try {
      const write = t.call('POST', '/api/v1/namespaces/default/configmaps', Buffer.from('{}'));
      await eventually(() => t.sent.length === 1);
      t.link.connected = false;
      t.relay.linkDown();
      const res = await write;
      assert.equal(res.status, 503);
      assert.equal(
        JSON.parse(res.text).message,
        'the hub is unreachable from gateway gw-1 since 2026-12-07T10:00:00.000Z: writes are refused until it is back',
      );
    } finally {
      await t.close();
    }
  });

  it('ignores replies that are malformed or for other gateways', async () => {
    const t = await aRelay();
    try {
      t.relay.receive(`flotilla/v1/nodes/${node}/api/replies/x`, Buffer.from('{oops'));
      t.relay.receive('flotilla/v1/nodes/gw-2/api/replies/x', encodePayload({ id: 'x', seq: 0, end: true }));
      t.relay.receive('not/a/topic', Buffer.alloc(0));
      assert.deepEqual(t.relay.counts, { requests: 0, watches: 0, held: 0 });
    } finally {
      await t.close();
    }
  });
});
