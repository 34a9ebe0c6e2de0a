import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { exited, tempDir } from '../../helpers/hub-process.js';

const repo = resolve(import.meta.dirname, '../../..');

/** `flotilla hub …` from the TypeScript sources; its stderr. */
async function flotillaHub(args: string[]): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/flotilla.ts', 'hub', ...args], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return { code: await exited(child), err };
}

describe('flotilla hub: in-flight limit flags', function () {
  this.timeout(30_000);
  const dataDir = tempDir('flags');
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  for (const [flag, value] of [
    ['--max-requests-inflight', 'ten'],
    ['--max-mutating-requests-inflight', '-1'],
    ['--max-requests-inflight', '1.5'],
  ] as const) {
    it(`refuses ${flag}=${value} with one line naming the flag and exit code 2`, async () => {
      const { code, err } = await flotillaHub([
        '--data-dir',
        tempDir('flags'),
        '--local-agent',
        'off',
        `${flag}=${value}`,
      ]);
      assert.equal(code, 2);
      assert.equal(
        err.split('\n')[0],
        `flotilla: ${flag} must be a non-negative integer, got ${JSON.stringify(value)}`,
      );
    });
  }
});
