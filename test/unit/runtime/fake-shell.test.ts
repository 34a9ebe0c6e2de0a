import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerConfig, SandboxConfig } from '../../../edge-agent/runtime/container-runtime.js';
import { type FakeProcess, runFakeCommand } from '../../../edge-agent/runtime/fake-commands/commands.js';
import { FakeFilesystem } from '../../../edge-agent/runtime/fake-commands/fake-filesystem.js';
import { readTarMembers } from '../../../edge-agent/runtime/fake-commands/tar-reader.js';
import { tarArchive } from '../../../edge-agent/runtime/images/tar-writer.js';

const sandbox = { metadata: { name: 'web' }, hostname: 'web-1' } as unknown as SandboxConfig;
const configWith = (mounts: ContainerConfig['mounts'] = []) =>
  ({
    name: 'app',
    command: [],
    args: [],
    envs: [{ key: 'NAME', value: 'gw 7' }],
    mounts,
  }) as unknown as ContainerConfig;

async function sh(script: string, options: Partial<FakeProcess> & { input?: Buffer } = {}) {
  const out = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  const { input, ...proc } = options;
  const code = await runFakeCommand(['sh', '-c', script], {
    config: configWith(),
    sandbox,
    ...proc,
    stdin:
      input &&
      (async function* () {
        yield input;
      })(),
    write: (stream, data) => {
      out[stream] = Buffer.concat([out[stream], data]);
    },
  });
  return { code, stdout: out.stdout.toString(), stderr: out.stderr.toString(), raw: out.stdout };
}

describe('the fake sh and its programs', () => {
  it('runs lists with ;, && and ||, and gives the last exit code', async () => {
    assert.deepEqual(await sh('true && echo yes || echo no; false && echo yes || echo no'), {
      code: 0,
      stdout: 'yes\nno\n',
      stderr: '',
      raw: Buffer.from('yes\nno\n'),
    });
    assert.equal((await sh('echo a; exit 7; echo b')).code, 7);
    assert.equal((await sh('false')).code, 1);
    assert.equal((await sh('exit 300')).code, 44);
  });

  it('runs for, while, until and if, with break and $?', async () => {
    assert.equal((await sh('for i in 1 2 3; do echo $i; done')).stdout, '1\n2\n3\n');
    const loop = 'n=; while true; do n="x$n"; echo $n; if [ "$n" = xxx ]; then break; fi; done';
    assert.equal((await sh(loop)).stdout, 'x\nxx\nxxx\n');
    assert.equal((await sh('until true; do echo never; done; echo after')).stdout, 'after\n');
    assert.equal(
      (await sh('false; echo $?; if test -n "$NAME"; then echo "set: $NAME"; else echo unset; fi')).stdout,
      '1\nset: gw 7\n',
    );
  });

  it('expands $VAR, braced variables, $(…) and quotes, splitting only unquoted expansions', async () => {
    assert.equal((await sh('for w in $NAME; do echo "<$w>"; done')).stdout, '<gw>\n<7>\n');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script, not a template
    assert.equal((await sh('echo "${NAME}" \'$NAME\' $(echo sub)')).stdout, 'gw 7 $NAME sub\n');
    assert.equal((await sh('X=1 env | grep X')).code, 127, 'grep is not in the set');
    assert.equal((await sh('export A=b; echo $A')).stdout, 'b\n');
  });

  it('redirects to files, to stderr and to /dev/null, and pipes', async () => {
    const fs = new FakeFilesystem();
    const result = await sh(
      'echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; echo err >&2; cat /nope 2>/dev/null || echo missing; echo hi | cat',
      { fs },
    );
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, 'one\ntwo\nmissing\nhi\n', 'err\n']);
    assert.equal((await fs.read('/tmp/f')).toString(), 'one\ntwo\n');
    assert.equal(
      (await sh('echo x > /no/dir/f')).stderr,
      "sh: can't open '/no/dir/f': No such file or directory\n",
    );
  });

  it('has touch, test, mkdir -p, ls, rm -rf and cd, as the liveness example of the Kubernetes docs uses them', async () => {
    const fs = new FakeFilesystem();
    assert.equal((await sh('touch /tmp/healthy; cat /tmp/healthy && echo alive', { fs })).stdout, 'alive\n');
    assert.equal((await sh('rm -f /tmp/healthy; cat /tmp/healthy', { fs })).code, 1);
    const tree = await sh('mkdir -p /srv/a/b && cd /srv/a && touch b/c && ls b && test -d b && ! test -f b', {
      fs,
    });
    assert.deepEqual([tree.code, tree.stdout], [0, 'c\n']);
    assert.equal((await sh('rm -rf /srv; ls /srv', { fs })).stderr, 'ls: /srv: No such file or directory\n');
  });

  it('fails an unknown command with 127 and a syntax error with 2, in busybox words', async () => {
    assert.deepEqual(await sh('nope'), {
      code: 127,
      stdout: '',
      stderr: 'sh: nope: not found\n',
      raw: Buffer.alloc(0),
    });
    const bad = await sh('while true; do echo');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^sh: syntax error: unexpected end of file \(expecting 'done'\)\n$/);
  });

  it('stops a loop when the container is stopped, exiting 137, or as its TERM trap says', async () => {
    const stop = new AbortController();
    const running = sh('while true; do echo tick; sleep 3600; done', { signal: stop.signal });
    setImmediate(() => stop.abort());
    assert.equal((await running).code, 137);
    const trapped = new AbortController();
    const withTrap = sh('trap "echo bye; exit 0" TERM; sleep 3600 & wait', { signal: trapped.signal });
    setImmediate(() => trapped.abort());
    assert.deepEqual([(await withTrap).code, (await withTrap).stdout], [0, 'bye\n']);
  });

  it('prints date as busybox does and reads sh commands from stdin without -c', async () => {
    const at = Date.UTC(2026, 11, 7, 17, 52, 12);
    assert.equal((await sh('date', { now: () => at })).stdout, 'Mon Dec  7 17:52:12 UTC 2026\n');
    const out: string[] = [];
    const code = await runFakeCommand(['sh'], {
      config: configWith(),
      sandbox,
      stdin: (async function* () {
        yield Buffer.from('echo one\nexit 4\necho never\n');
      })(),
      write: (_, data) => out.push(data.toString()),
    });
    assert.deepEqual([code, out.join('')], [4, 'one\n']);
  });

  it('writes to mounts on the host, and refuses to write to a read-only one', async () => {
    const host = mkdtempSync(join(tmpdir(), 'flotilla-fake-mount-'));
    try {
      const config = configWith([
        { containerPath: '/data', hostPath: host, readonly: false },
        { containerPath: '/conf', hostPath: host, readonly: true },
      ]);
      assert.equal((await sh('echo shared > /data/x; cat /conf/x', { config })).stdout, 'shared\n');
      assert.equal(readFileSync(join(host, 'x'), 'utf8'), 'shared\n');
      assert.match((await sh('echo no > /conf/y', { config })).stderr, /Read-only file system/);
    } finally {
      rmSync(host, { recursive: true, force: true });
    }
  });

  describe('tar, as kubectl cp runs it', () => {
    it('archives a file and a directory with tar cf -, member names without the leading /', async () => {
      const fs = new FakeFilesystem();
      await sh('mkdir -p /data/sub && echo a > /data/a.txt && echo b > /data/sub/b.txt', { fs });
      const result = await sh('tar cf - /data', { fs });
      assert.equal(result.code, 0);
      assert.equal(result.stderr, "tar: removing leading '/' from member names\n");
      const members = readTarMembers(result.raw);
      assert.deepEqual(
        members.map((m) => [m.type, m.path, m.data.toString()]),
        [
          ['dir', 'data/', ''],
          ['file', 'data/a.txt', 'a\n'],
          ['dir', 'data/sub/', ''],
          ['file', 'data/sub/b.txt', 'b\n'],
        ],
      );
      const missing = await sh('tar cf - /nope', { fs });
      assert.deepEqual([missing.code, readTarMembers(missing.raw)], [1, []]);
    });

    it('extracts with tar -xmf - -C DIR, and with --no-same-permissions drops write bits of group and others', async () => {
      const long = `${'d'.repeat(90)}/${'f'.repeat(60)}.txt`;
      const archive = tarArchive([
        { type: 'dir', path: 'conf' },
        { type: 'file', path: 'conf/app.ini', data: Buffer.from('mode = edge\n'), mode: 0o666 },
        { type: 'file', path: long, data: Buffer.from('long\n') },
      ]);
      const fs = new FakeFilesystem();
      const kept = await sh('tar -xmf - -C /etc', { fs, input: archive });
      assert.equal(kept.code, 0, kept.stderr);
      assert.equal((await fs.read('/etc/conf/app.ini')).toString(), 'mode = edge\n');
      assert.equal((await fs.stat('/etc/conf/app.ini'))?.mode, 0o666);
      assert.equal((await fs.read(`/etc/${long}`)).toString(), 'long\n');
      const other = new FakeFilesystem();
      await sh('mkdir /x; tar --no-same-permissions --no-same-owner -xmf - -C /x', {
        fs: other,
        input: archive,
      });
      assert.equal((await other.stat('/x/conf/app.ini'))?.mode, 0o644);
      assert.deepEqual(await sh('tar -xzf - -C /x', { fs: other, input: archive }), {
        code: 1,
        stdout: '',
        stderr: 'tar: compressed archives are not simulated\n',
        raw: Buffer.alloc(0),
      });
    });
  });
});
