import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NedbStore } from '../../hub/store/nedb-store.js';

const writer = fileURLToPath(new URL('./fixtures/store-writer.ts', import.meta.url));

/** The writer deletes every tenth pod right after creating it (fixtures/store-writer.ts). */
function deletedByWriter(name: string): boolean {
  return Number(name.replace(/^p-/, '')) % 10 === 9;
}

interface Acknowledged {
  created: Map<string, number>;
  deleted: Map<string, number>;
  newest: number;
}

/** Run the writer until it has acknowledged `acks` writes, then SIGKILL it mid-stream. */
async function writeAndKill(dataDir: string, acks: number): Promise<Acknowledged> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.split('\n').length > acks) child.kill('SIGKILL');
  });
  const signal = await exited;
  assert.equal(signal, 'SIGKILL', `the writer ended on its own: ${stderr}`);

  const acknowledged: Acknowledged = { created: new Map(), deleted: new Map(), newest: 0 };
  // Only complete lines count: a torn last line was never fully reported.
  for (const line of stdout.split('\n').slice(0, -1)) {
    const [what, name, rv] = line.split(' ');
    if (what !== 'created' && what !== 'deleted') continue;
    acknowledged[what].set(name!, Number(rv));
    acknowledged.newest = Math.max(acknowledged.newest, Number(rv));
  }
  return acknowledged;
}

describe('NedbStore killed with SIGKILL', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'flotilla-kill9-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lets the process exit on its own once the store is closed (no timers left behind)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir, '30'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const hung = setTimeout(() => child.kill('SIGKILL'), 10_000);
    try {
      assert.equal(await exited, 0);
    } finally {
      clearTimeout(hung);
    }
  });

  for (const acks of [40, 600]) {
    it(`keeps every write acknowledged before the kill (${acks} acknowledgements)`, async () => {
      const acknowledged = await writeAndKill(dataDir, acks);
      assert.ok(acknowledged.created.size > 0);

      const store = new NedbStore({ dataDir });
      await store.open();
      try {
        for (const [name, rv] of acknowledged.created) {
          const pod = await store.get('pods', { namespace: 'default', name });
          if (acknowledged.deleted.has(name)) {
            assert.equal(pod, undefined, `${name} was deleted`);
          } else if (pod === undefined && deletedByWriter(name)) {
            // Its delete was under way at the kill: written, but never acknowledged. Either
            // outcome is right for a write that was not acknowledged.
          } else {
            assert.equal(pod?.metadata.resourceVersion, String(rv), `${name} was acknowledged at ${rv}`);
          }
        }
        assert.ok(Number(store.currentResourceVersion()) >= acknowledged.newest);
        const next = await store.create('pods', {
          metadata: { name: 'after-restart', namespace: 'default' },
        });
        assert.ok(Number(next.metadata.resourceVersion) > acknowledged.newest);
      } finally {
        await store.close();
      }
    });
  }
});
