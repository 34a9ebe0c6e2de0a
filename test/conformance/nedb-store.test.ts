import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NedbStore, type NedbStoreOptions } from '../../hub/store/nedb-store.js';
import { eventually } from '../helpers/eventually.js';
import { storeConformance } from './store.suite.js';

// A small window, so that the 410 test does not need thousands of writes.
const options: NedbStoreOptions = { eventLogCapacity: 200, onBackgroundError: () => {} };

storeConformance(
  'NedbStore on disk',
  async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'flotilla-store-'));
    let store = new NedbStore({ ...options, dataDir });
    await store.open();
    return {
      store,
      reopen: async () => {
        await store.close();
        store = new NedbStore({ ...options, dataDir });
        await store.open();
        return store;
      },
      cleanup: async () => {
        await store.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
  { persistent: true },
);

storeConformance('NedbStore in memory', async () => {
  const store = new NedbStore({ ...options, inMemory: true });
  await store.open();
  return { store, cleanup: () => store.close() };
});

describe('NedbStore datafiles', () => {
  let dataDir: string;
  let store: NedbStore;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'flotilla-store-'));
    store = new NedbStore({ dataDir, compactionIntervalMs: 20 });
    await store.open();
  });

  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function lines(file: string): Promise<number> {
    return (await readFile(join(dataDir, 'store', file), 'utf8')).split('\n').filter(Boolean).length;
  }

  it('keeps one file per resource and compacts superseded lines away periodically', async () => {
    const deployment = { metadata: { name: 'd', namespace: 'default' }, spec: { replicas: 0 } };
    await store.create('apps/deployments', deployment);
    for (let i = 1; i <= 20; i++)
      await store.update('apps/deployments', { ...deployment, spec: { replicas: i } });
    await eventually(async () => (await lines('apps_deployments.db')) === 1);
  });
});
