// `flotilla hub --help` and `flotilla agent --help` print every flag of their command and exit 0;
// a bad logging flag is a usage error naming it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { exited } from '../../helpers/hub-process.js';

const repo = resolve(import.meta.dirname, '../../..');

/** `flotilla …` from the TypeScript sources: exit code, standard output and error. */
async function flotilla(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/flotilla.ts', ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return { code: await exited(child), out, err };
}

describe('flotilla <command> --help', function () {
  this.timeout(60_000);

  for (const command of ['hub', 'agent']) {
    it(`prints the usage of every flag of ${command} and exits 0`, async () => {
      const { code, out, err } = await flotilla([command, '--help']);
      assert.equal(code, 0, err);
      assert.equal(err, '');
      assert.match(out, new RegExp(`^Usage: flotilla ${command} --`));
      for (const flag of ['--data-dir', '--log-format text|json', '--log-level LEVEL', '--metrics-bind'])
        assert.ok(out.includes(flag), `${flag} missing from:\n${out}`);
    });
  }

  it('refuses a bad --log-level of the hub with a usage error naming the flag, exit code 2', async () => {
    const { code, err } = await flotilla(['hub', '--data-dir', '/nonexistent', '--log-level', 'loud']);
    assert.equal(code, 2);
    assert.equal(
      err.split('\n')[0],
      'flotilla: --log-level: Unsupported value: "loud": supported values: "debug", "info", "warn", "error"',
    );
  });

  it('refuses a bad --log-format of the agent the same way', async () => {
    const { code, err } = await flotilla(['agent', '--log-format', 'xml']);
    assert.equal(code, 2);
    assert.equal(
      err,
      'flotilla agent: --log-format: Unsupported value: "xml": supported values: "text", "json"\n',
    );
  });
});
