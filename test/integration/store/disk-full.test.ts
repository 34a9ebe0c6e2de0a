// A real full disk: the hub's store and the agent's local state on a 1 MiB tmpfs, filled until
// writes fail, then freed. Needs root (mount); skipped with the reason otherwise.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../api/logger.js';
import type { KubeObject } from '../../../api/types.js';
import { LocalState } from '../../../edge-agent/local-state/local-state.js';
import { prepareDataDir } from '../../../hub/data-dir.js';
import { loadEncryptionConfig } from '../../../hub/encryption-at-rest.js';
import { NedbStore } from '../../../hub/store/nedb-store.js';
import { isRoot, skipSuiteUnless } from '../../helpers/environment.js';
import { aDesiredState } from '../../unit/agent/agent-builders.js';

/** Writes a filler file until the filesystem refuses another byte; returns its path. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'a');
  try {
    for (const size of [65536, 4096, 1]) {
      const chunk = Buffer.alloc(size, 120);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch {
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

const pod = (name: string, padding = 0): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations: { padding: 'p'.repeat(padding) } },
});

function filesLeftBehind(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('~') || f.includes('.broken-') || f.endsWith('.write-test'),
  );
}

describe('a full disk (1 MiB tmpfs)', () => {
  let mountPoint: string;
  let mounted = false;
  const stores: NedbStore[] = [];

  before(function () {
    skipSuiteUnless(this, isRoot() ? [] : ['not running as root (mounts a tmpfs)']);
  });

  beforeEach(() => {
    mountPoint = mkdtempSync(join(tmpdir(), 'flotilla-disk-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]);
    mounted = true;
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close().catch(() => {});
    if (mounted) execFileSync('umount', [mountPoint]);
    mounted = false;
    rmdirSync(mountPoint);
  });

  async function openStore(dataDir: string): Promise<NedbStore> {
    const store = new NedbStore({ dataDir, encryption: loadEncryptionConfig(dataDir), log: silentLogger });
    stores.push(store);
    await store.open();
    return store;
  }

  async function podNames(store: NedbStore): Promise<string[]> {
    return (await store.list('pods')).items.map((p) => p.metadata.name!).sort();
  }

  it('hub store: the first write acknowledged after the disk filled up survives a restart, and nothing else is lost', async () => {
    const dataDir = join(mountPoint, 'hub');
    prepareDataDir(dataDir)();
    const store = await openStore(dataDir);
    for (let i = 0; i < 5; i++) await store.create('pods', pod(`before-${i}`, 100));
    await store.create('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      data: { k: 'dg==' },
    });
    const filler = fill(mountPoint);
    await assert.rejects(store.create('pods', pod('refused', 16_384)), /ENOSPC/);
    rmSync(filler);
    await store.create('pods', pod('acknowledged', 16_384));
    await store.close();

    const reopened = await openStore(dataDir);
    assert.deepEqual(await podNames(reopened), [
      'acknowledged',
      'before-0',
      'before-1',
      'before-2',
      'before-3',
      'before-4',
    ]);
    assert.ok(await reopened.get('secrets', { namespace: 'default', name: 's' }));
  });

  it('hub: a restart on a full disk fails with one line and leaves nothing behind; the store still reads', async () => {
    const dataDir = join(mountPoint, 'hub');
    const release = prepareDataDir(dataDir);
    const store = await openStore(dataDir);
    for (let i = 0; i < 20; i++)
      await store.update('pods', pod('p', 100)).catch(() => store.create('pods', pod('p', 100)));
    await store.close();
    release();
    fill(mountPoint);
    assert.throws(
      () => prepareDataDir(dataDir),
      (err: Error) =>
        err.message === `cannot use data dir ${dataDir}: ENOSPC: no space left on device, write`,
    );
    // Opening only reads (superseded lines wait for the periodic compaction): a full disk is no obstacle.
    const reopened = await openStore(dataDir);
    assert.deepEqual(await podNames(reopened), ['p']);
    assert.deepEqual(filesLeftBehind(mountPoint), []);
  });

  it('agent local state: the write acknowledged after a failed one survives; a restart on a full disk fails cleanly', async () => {
    const dataDir = join(mountPoint, 'agent');
    const state = await LocalState.open(dataDir);
    await state.saveDesired(aDesiredState(1, ['a', 'b']));
    const filler = fill(mountPoint);
    const big = aDesiredState(
      2,
      Array.from({ length: 200 }, (_, i) => `pod-${i}`),
    );
    await assert.rejects(state.saveDesired(big), /ENOSPC/);
    rmSync(filler);
    await state.saveOfflineSince(1234);

    const reopened = await LocalState.open(dataDir);
    assert.equal(reopened.offlineSince(), 1234);
    // nedb had applied the failed write to its cache; the compaction after the next good write kept it.
    assert.equal(reopened.desired()?.revision, 2);

    fill(mountPoint);
    const file = join(dataDir, 'state', 'agent.db');
    await assert.rejects(LocalState.open(dataDir), (err: Error) =>
      err.message.startsWith(`cannot open ${file}: ENOSPC: no space left on device`),
    );
    assert.deepEqual(filesLeftBehind(mountPoint), []);
    rmSync(join(mountPoint, 'filler'));
    assert.equal((await LocalState.open(dataDir)).offlineSince(), 1234);
  });
});
