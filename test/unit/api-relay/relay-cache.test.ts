import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CachedRead, RelayCache, resourceVersionOf } from '../../../edge-agent/api-relay/relay-cache.js';
import { tempDir } from '../../helpers/hub-process.js';

const sealer = {
  seal: (plain: string, ctx: string) => `sealed:${ctx}:${Buffer.from(plain).toString('hex')}`,
  open: (stored: string, ctx: string) => {
    const prefix = `sealed:${ctx}:`;
    if (!stored.startsWith(prefix)) throw new Error('wrong context');
    return Buffer.from(stored.slice(prefix.length), 'hex').toString();
  },
};

function aRead(
  n: number,
  body = `{"metadata":{"resourceVersion":"${n}"},"items":[]}`,
  identity = 'id-1',
): CachedRead {
  return {
    key: n.toString(16).padStart(64, '0'),
    identity,
    status: 200,
    contentType: 'application/json',
    body: Buffer.from(body),
    storedAt: 1000 + n,
  };
}

describe('API relay cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('relay-cache');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps reads across a restart, with the body sealed on disk', () => {
    const cache = new RelayCache(dir, sealer);
    cache.put(aRead(1, '{"kind":"SecretList","items":[{"data":{"p":"c2VjcmV0"}}]}'));
    const onDisk = readFileSync(join(dir, `${aRead(1).key}.json`), 'utf8');
    assert.ok(!onDisk.includes('SecretList'));
    const again = new RelayCache(dir, sealer);
    assert.equal(
      again.get(aRead(1).key)?.body.toString(),
      '{"kind":"SecretList","items":[{"data":{"p":"c2VjcmV0"}}]}',
    );
  });

  it('drops the least recently used entries beyond its entry and byte limits', () => {
    const cache = new RelayCache(dir, sealer, { maxEntries: 2 });
    cache.put(aRead(1));
    cache.put(aRead(2));
    cache.get(aRead(1).key);
    cache.put(aRead(3));
    assert.deepEqual(
      [1, 2, 3].map((n) => cache.hasRead(aRead(n).key)),
      [true, false, true],
    );
    assert.equal(readdirSync(dir).length, 2);
    const small = new RelayCache(tempDir('relay-cache-small'), sealer, { maxBytes: 600 });
    for (const n of [1, 2, 3, 4]) small.put(aRead(n));
    assert.ok(small.size.bytes <= 600);
    assert.ok(small.hasRead(aRead(4).key));
  });

  it('does not keep an answer larger than an entry may be', () => {
    const cache = new RelayCache(dir, sealer, { maxEntryBytes: 10 });
    cache.put(aRead(1));
    assert.equal(cache.hasRead(aRead(1).key), false);
  });

  it('forgets every read of a token', () => {
    const cache = new RelayCache(dir, sealer);
    cache.put(aRead(1, undefined, 'a'));
    cache.put(aRead(2, undefined, 'b'));
    cache.deleteIdentity('a');
    assert.deepEqual([cache.hasRead(aRead(1).key), cache.hasRead(aRead(2).key)], [false, true]);
  });

  it('removes files it cannot read instead of failing', () => {
    writeFileSync(join(dir, `${'f'.repeat(64)}.json`), '{not json');
    writeFileSync(join(dir, 'stray.tmp'), 'x');
    const cache = new RelayCache(dir, sealer);
    assert.equal(cache.size.entries, 0);
    assert.deepEqual(readdirSync(dir), []);
    cache.put(aRead(5));
    writeFileSync(join(dir, `${aRead(5).key}.json`), '{"body":"tampered"}');
    assert.equal(cache.get(aRead(5).key), undefined);
    assert.equal(cache.hasRead(aRead(5).key), false);
  });

  it('reads the resourceVersion of a JSON answer only', () => {
    assert.equal(
      resourceVersionOf('application/json', Buffer.from('{"metadata":{"resourceVersion":"42"}}')),
      '42',
    );
    assert.equal(resourceVersionOf('application/vnd.kubernetes.protobuf', Buffer.from('k8s\0')), undefined);
    assert.equal(resourceVersionOf('application/json', Buffer.from('{')), undefined);
  });
});
