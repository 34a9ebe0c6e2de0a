import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { aesGcmPrefix } from '../../../api/encryption/aes-gcm-transformer.js';
import { silentLogger } from '../../../api/logger.js';
import type { KubeObject } from '../../../api/types.js';
import { encryptionConfigFile, loadEncryptionConfig } from '../../../hub/encryption-at-rest.js';
import { NedbStore } from '../../../hub/store/nedb-store.js';

const password = 'hunter2-plant-7';
const encoded = Buffer.from(password).toString('base64');

function aSecret(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: 'default',
      // kubectl apply copies the whole object here: one reason the whole object is encrypted.
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: { password: encoded } }),
      },
    },
    type: 'Opaque',
    data: { password: encoded },
  } as KubeObject;
}

/** An EncryptionConfiguration whose aesgcm keys are `names`, in order (the first one writes). */
function configText(keys: Record<string, string>, names: string[], identity = true): string {
  return stringify({
    kind: 'EncryptionConfiguration',
    apiVersion: 'apiserver.config.k8s.io/v1',
    resources: [
      {
        resources: ['secrets'],
        providers: [
          { aesgcm: { keys: names.map((name) => ({ name, secret: keys[name] })) } },
          ...(identity ? [{ identity: {} }] : []),
        ],
      },
    ],
  });
}

describe('Secrets encrypted at rest', () => {
  let dataDir: string;
  const keys = { key1: randomBytes(32).toString('base64'), key2: randomBytes(32).toString('base64') };
  const open: NedbStore[] = [];

  function raw(): string {
    return readFileSync(join(dataDir, 'store', 'secrets.db'), 'utf8');
  }

  async function openStore(config?: string): Promise<NedbStore> {
    if (config !== undefined) writeFileSync(join(dataDir, encryptionConfigFile), config);
    const store = new NedbStore({ dataDir, encryption: loadEncryptionConfig(dataDir), log: silentLogger });
    open.push(store);
    await store.open();
    return store;
  }

  async function restart(config?: string): Promise<NedbStore> {
    for (const store of open.splice(0)) await store.close();
    return openStore(config);
  }

  async function passwordOf(store: NedbStore, name: string): Promise<string | undefined> {
    const secret = (await store.get('secrets', { namespace: 'default', name })) as {
      data?: { password: string };
    };
    return secret?.data && Buffer.from(secret.data.password, 'base64').toString();
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'flotilla-encryption-'));
  });

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a 0600 key file and keeps no Secret value in the raw store file, across restarts', async () => {
    const store = await openStore();
    assert.equal(statSync(join(dataDir, encryptionConfigFile)).mode & 0o777, 0o600);
    await store.create('secrets', aSecret('db'));
    await store.update('secrets', aSecret('db'));
    assert.ok(!raw().includes(encoded) && !raw().includes(password), 'the value is not in secrets.db');
    assert.match(raw(), /"json":"k8s:enc:aesgcm:v1:key1:/);
    assert.equal(await passwordOf(await restart(), 'db'), password);
    assert.ok(!raw().includes(encoded));
  });

  it('reads plaintext Secrets from before and rewrites them encrypted when the store opens', async () => {
    const plain = new NedbStore({ dataDir, log: silentLogger });
    await plain.open();
    await plain.create('secrets', aSecret('old'));
    await plain.close();
    assert.ok(raw().includes(encoded), 'written in plaintext before encryption was on');
    const store = await openStore(configText(keys, ['key1']));
    assert.equal(await passwordOf(store, 'old'), password);
    assert.ok(!raw().includes(encoded), 'the plaintext line is gone from the file');
    assert.equal(await passwordOf(await restart(), 'old'), password);
  });

  it('rotates keys: a new first key writes, the old one still reads, and a restart rewrites all with the new one', async () => {
    const store = await openStore(configText(keys, ['key1']));
    await store.create('secrets', aSecret('a'));
    const rotated = await restart(configText(keys, ['key2', 'key1']));
    assert.equal(await passwordOf(rotated, 'a'), password);
    await rotated.create('secrets', aSecret('b'));
    assert.ok(!raw().includes(`${aesGcmPrefix}key1:`), 'every value is under key2 after the restart');
    const withoutKey1 = await restart(configText(keys, ['key2'], false));
    assert.equal(await passwordOf(withoutKey1, 'a'), password);
    assert.equal(await passwordOf(withoutKey1, 'b'), password);
  });

  it('refuses to start with one line naming the store file when the key is wrong or missing', async () => {
    const store = await openStore(configText(keys, ['key1']));
    await store.create('secrets', aSecret('a'));
    const file = join(dataDir, 'store', 'secrets.db');
    const wrong = { key1: randomBytes(32).toString('base64') };
    await assert.rejects(
      restart(configText(wrong, ['key1'])),
      (err: Error) =>
        err.message ===
        `cannot read ${file}: secrets default/a: key "key1" does not decrypt it (wrong key, or the value was altered)`,
    );
    await assert.rejects(
      restart(configText(keys, ['key2'])),
      (err: Error) =>
        err.message ===
        `cannot read ${file}: secrets default/a: encrypted with key "key1", which is not configured`,
    );
  });

  it('refuses a key file that is not a valid EncryptionConfiguration, naming it', async () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, encryptionConfigFile), configText({ key1: 'c2hvcnQ=' }, ['key1']));
    assert.throws(
      () => loadEncryptionConfig(dataDir),
      (err: Error) =>
        err.message ===
        `cannot use ${join(dataDir, encryptionConfigFile)}: resources[0].providers[0].aesgcm.keys[0].secret must be 16, 24 or 32 bytes, base64-encoded`,
    );
  });
});
