import assert from 'node:assert/strict';
import type { ContainerConfig, SandboxConfig } from '../../../edge-agent/runtime/container-runtime.js';
import { runFakeCommand } from '../../../edge-agent/runtime/fake-commands/commands.js';

const config = {
  name: 'app',
  command: ['sleep'],
  args: ['3600'],
  envs: [{ key: 'NAME', value: 'gateway 7' }],
  mounts: [],
} as unknown as ContainerConfig;
const sandbox = { metadata: { name: 'web' }, hostname: 'web-1' } as unknown as SandboxConfig;

async function run(command: string[], stdin?: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await runFakeCommand(command, {
    config,
    sandbox,
    stdin:
      stdin &&
      (async function* () {
        for (const s of stdin) yield Buffer.from(s);
      })(),
    write: (stream, data) => {
      out[stream] += data.toString();
    },
  });
  return { code, ...out };
}

describe('FakeRuntime built-in commands', () => {
  it('runs echo, hostname, env and cat of /proc/1/cmdline like busybox', async () => {
    assert.deepEqual(await run(['echo', 'a', 'b']), { code: 0, stdout: 'a b\n', stderr: '' });
    assert.equal((await run(['hostname'])).stdout, 'web-1\n');
    assert.equal((await run(['env'])).stdout, 'NAME=gateway 7\n');
    assert.equal((await run(['cat', '/proc/1/cmdline'])).stdout, 'sleep\u00003600\u0000');
  });

  it('copies stdin to stdout with cat until stdin ends', async () => {
    assert.deepEqual(await run(['cat'], ['one\n', 'two\n']), { code: 0, stdout: 'one\ntwo\n', stderr: '' });
  });

  it('runs sh -c statements with quotes, $VAR, >&2 and exit', async () => {
    const result = await run(['sh', '-c', 'echo "hello $NAME"; echo \'$NAME\' >&2; false; exit 3']);
    assert.deepEqual(result, { code: 3, stdout: 'hello gateway 7\n', stderr: '$NAME\n' });
    assert.deepEqual(await run(['sh', '-c', 'nope']), {
      code: 127,
      stdout: '',
      stderr: 'sh: nope: not found\n',
    });
  });

  it("fails a program it does not know with runc's not-found message", async () => {
    await assert.rejects(run(['nope']), /exec: "nope": executable file not found in \$PATH/);
  });
});
