import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { eventually } from '../../helpers/eventually.js';
import { exited, tempDir } from '../../helpers/hub-process.js';
import { type HubUnderTest, removeDir, startHubUnderTest } from './agent-harness.js';

const repo = resolve(import.meta.dirname, '../../..');

/** `flotilla agent …` from the TypeScript sources (no build needed). */
function flotillaAgent(args: string[]): { child: ChildProcess; output: () => { out: string; err: string } } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/flotilla.ts', 'agent', ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return { child, output: () => ({ out, err }) };
}

describe('flotilla agent (command line)', function () {
  this.timeout(30_000);

  it('refuses a bad flag with one line naming it, and exit code 2', async () => {
    const run = flotillaAgent([
      '--hub',
      'mqtts://127.0.0.1:1',
      '--token',
      `t::sha256:${'ab'.repeat(32)}`,
      '--node-name',
      'gw-1',
      '--data-dir',
      '/tmp/x',
      '--register-with-taints',
      'a=b:Never',
    ]);
    assert.equal(await exited(run.child), 2);
    assert.equal(
      run.output().err,
      'flotilla agent: --register-with-taints[0].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"\n',
    );
  });

  describe('with a hub', () => {
    let hub: HubUnderTest;
    const dataDir = tempDir('agent-cli');
    before(async () => {
      hub = await startHubUnderTest();
    });
    after(async () => {
      await hub.hub.stop();
      removeDir(hub.dataDir);
      removeDir(dataDir);
    });

    it('joins the hub with a fake runtime and, on SIGTERM, leaves cleanly (the node goes offline)', async () => {
      const args = [
        '--hub',
        hub.mqttUrl,
        '--token',
        hub.token,
        '--node-name',
        'gw-cli',
        '--data-dir',
        dataDir,
      ];
      const run = flotillaAgent([...args, '--runtime', 'fake', '--node-labels', 'tier=edge']);
      try {
        const readyOf = async () =>
          (await hub.api.get('/api/v1/nodes/gw-cli'))
            .json()
            .status?.conditions?.find((c: any) => c.type === 'Ready');
        await eventually(async () => (await readyOf())?.status === 'True', { timeoutMs: 15_000 });
        run.child.kill('SIGTERM');
        assert.equal(await exited(run.child), 0, run.output().err);
        assert.match(run.output().out, /SIGTERM, stopping \(pods keep running\)/);
        await eventually(async () => (await readyOf())?.status === 'Unknown');
      } finally {
        run.child.kill('SIGKILL');
      }
    });
  });
});
