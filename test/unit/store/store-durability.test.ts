import assert from 'node:assert/strict';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataDir } from '../../../hub/data-dir.js';
import { NedbStore } from '../../../hub/store/nedb-store.js';
import type { AppendHandle } from '../../../hub/store/record-file.js';
import { captureLogger } from '../../helpers/capture-logger.js';

/** Append handles whose next write lands half its bytes and then fails as a full disk does. */
class FailingDisk {
  failWrites = 0;
  failTruncates = 0;

  readonly openAppend = async (path: string): Promise<AppendHandle> => {
    const real = await open(path, 'a', 0o600);
    const disk = this;
    return {
      chmod: (mode) => real.chmod(mode),
      close: () => real.close(),
      async truncate(len) {
        if (disk.failTruncates > 0) {
          disk.failTruncates -= 1;
          throw Object.assign(new Error('EIO: i/o error, ftruncate'), { code: 'EIO' });
        }
        return real.truncate(len);
      },
      async write(buffer: Buffer, offset = 0, length = buffer.length - offset) {
        if (disk.failWrites > 0) {
          disk.failWrites -= 1;
          await real.write(buffer, offset, Math.floor(length / 2));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        return real.write(buffer, offset, length);
      },
    } as AppendHandle;
  };
}

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' } });

describe('store durability', () => {
  let dataDir: string;
  let disk: FailingDisk;
  let logged: string[];
  const stores: NedbStore[] = [];

  async function openStore(): Promise<NedbStore> {
    const store = new NedbStore({
      dataDir,
      openAppend: disk.openAppend,
      log: captureLogger(logged).child('store'),
    });
    await store.open();
    stores.push(store);
    return store;
  }

  async function names(store: NedbStore): Promise<string[]> {
    return (await store.list('pods')).items.map((p) => p.metadata.name!).sort();
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'flotilla-durability-'));
    disk = new FailingDisk();
    logged = [];
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the first write acknowledged after a failed one that left a torn fragment', async () => {
    const store = await openStore();
    await store.create('pods', pod('before'));
    disk.failWrites = 1;
    await assert.rejects(store.create('pods', pod('failed')), /ENOSPC/);
    await store.create('pods', pod('after'));
    await store.close();
    const reopened = await openStore();
    assert.deepEqual(await names(reopened), ['after', 'before']);
    assert.deepEqual(logged, [], 'nothing torn was left to drop');
  });

  it('refuses writes while a torn fragment cannot be cut off, and keeps the next acknowledged one', async () => {
    const store = await openStore();
    disk.failWrites = 1;
    disk.failTruncates = 2; // the cut right after the failure, and the retry before the next write
    await assert.rejects(store.create('pods', pod('failed')), /ENOSPC/);
    await assert.rejects(store.create('pods', pod('refused')), /EIO/);
    await store.create('pods', pod('acknowledged'));
    await store.close();
    assert.deepEqual(await names(await openStore()), ['acknowledged']);
  });

  it('drops a torn last line of a small file, naming the file and the count, and starts', async () => {
    const store = await openStore();
    await store.create('pods', pod('kept'));
    await store.close();
    const file = join(dataDir, 'store', 'pods.db');
    appendFileSync(file, '{"_id":"default/torn","rv":9,"json":"{\\"apiVers');
    const reopened = await openStore();
    assert.deepEqual(await names(reopened), ['kept']);
    assert.deepEqual(logged, [`store: ${file}: dropped 1 torn or corrupt line(s)`]);
    await reopened.create('pods', pod('next'));
    await reopened.close();
    logged = [];
    assert.deepEqual(await names(await openStore()), ['kept', 'next']);
    assert.deepEqual(logged, [], 'the repaired file is clean');
  });

  it('drops corrupt lines anywhere in a file (a fragment joined to the next line) and counts them', async () => {
    const dir = join(dataDir, 'store');
    mkdirSync(dir, { recursive: true });
    const line = (name: string, rv: number) =>
      JSON.stringify({
        _id: `default/${name}`,
        rv,
        json: JSON.stringify({
          ...pod(name),
          metadata: { ...pod(name).metadata, resourceVersion: String(rv) },
        }),
      });
    writeFileSync(
      join(dir, 'pods.db'),
      `${line('a', 1)}\n${line('b', 2).slice(0, 20)}${line('c', 3)}\nnot json\n${line('d', 4)}\n`,
    );
    await openStore();
    assert.deepEqual(await names(stores[0]!), ['a', 'd']);
    assert.deepEqual(logged, [`store: ${join(dir, 'pods.db')}: dropped 2 torn or corrupt line(s)`]);
  });

  it('reads objects stored as a JSON string (files from before) and writes new ones as JSON', async () => {
    const dir = join(dataDir, 'store');
    mkdirSync(dir, { recursive: true });
    const labelled = (name: string, rv: number) => ({
      ...pod(name),
      metadata: {
        ...pod(name).metadata,
        labels: { 'app.kubernetes.io/name': name },
        resourceVersion: String(rv),
      },
    });
    writeFileSync(
      join(dir, 'pods.db'),
      `${JSON.stringify({ _id: 'default/old', rv: 1, json: JSON.stringify(labelled('old', 1)) })}\n`,
    );
    const store = await openStore();
    const created = await store.create('pods', labelled('new', 0));
    await store.close();
    const lines = readFileSync(join(dir, 'pods.db'), 'utf8').trimEnd().split('\n');
    assert.deepEqual(JSON.parse(lines[1]!), {
      _id: 'default/new',
      rv: Number(created.metadata.resourceVersion),
      object: created,
    });
    const reopened = await openStore();
    assert.deepEqual(await reopened.get('pods', { namespace: 'default', name: 'old' }), labelled('old', 1));
    assert.deepEqual(await reopened.get('pods', { namespace: 'default', name: 'new' }), created);
    assert.deepEqual(logged, []);
  });

  it('keeps store files 0600 in a 0700 directory, and tightens those of an existing install', async () => {
    const dir = join(dataDir, 'store');
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'secrets.db'), '', { mode: 0o644 });
    const store = await openStore();
    await store.create('pods', pod('p'));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const file of readdirSync(dir)) assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600, file);
  });

  it('tightens an existing 0755 hub data dir to 0700 on start', () => {
    chmodSync(dataDir, 0o755);
    prepareDataDir(dataDir)();
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
  });

  it('leaves no compaction file behind from a compaction that was cut short', async () => {
    const store = await openStore();
    await store.create('pods', pod('p'));
    await store.close();
    writeFileSync(join(dataDir, 'store', 'pods.db~'), '{"_id":"default/half"');
    await openStore();
    assert.deepEqual(await names(stores[1]!), ['p']);
    assert.ok(!readdirSync(join(dataDir, 'store')).some((f) => f.endsWith('~')));
  });
});
