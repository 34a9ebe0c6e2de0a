// The agent's built-in pause program, run for real: natively on this machine's architecture, and
// under qemu user emulation for the others (Debian's qemu-user-static; CI installs it).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pauseArchFor } from '../../../edge-agent/runtime/images/builtin-pause-image.js';
import { type PauseArch, pauseProgram } from '../../../edge-agent/runtime/images/pause-program.js';
import { hasCommand, isRoot, skipSuiteUnless } from '../../helpers/environment.js';
import { eventually } from '../../helpers/eventually.js';

const qemuFor: Record<PauseArch, string> = {
  amd64: 'qemu-x86_64-static',
  arm64: 'qemu-aarch64-static',
  arm: 'qemu-arm-static',
};

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Sleeping in rt_sigtimedwait, i.e. past its set-up: what `State:` in /proc says. */
function isSleeping(pid: number): boolean {
  return /^State:\s+S/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

for (const arch of ['amd64', 'arm64', 'arm'] as const) {
  describe(`the built-in pause program (${arch})`, function () {
    this.timeout(20_000);
    const native = pauseArchFor() === arch;
    let dir: string;
    let program: string;

    before(function () {
      skipSuiteUnless(this, native || hasCommand(qemuFor[arch]) ? [] : [`${qemuFor[arch]} not installed`]);
      dir = mkdtempSync(join(tmpdir(), `flotilla-pause-${arch}-`));
      program = join(dir, 'pause');
      writeFileSync(program, pauseProgram(arch));
      chmodSync(program, 0o755);
    });

    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** The command line that runs the program here: itself, or under its emulator. */
    const command = () => (native ? [program] : [qemuFor[arch], program]);
    const start = () => {
      const [file, ...args] = command() as [string, ...string[]];
      return spawn(file, args);
    };

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`waits until ${signal}, then exits 0`, async () => {
        const child = start();
        const exited = exitOf(child);
        await eventually(() => isSleeping(child.pid as number));
        assert.equal(child.exitCode, null, 'still running before the signal');
        child.kill(signal);
        assert.deepEqual(await exited, { code: 0, signal: null });
      });
    }

    it('ignores a signal it does not wait for only as pause does: SIGHUP still ends it', async () => {
      const child = start();
      const exited = exitOf(child);
      await eventually(() => isSleeping(child.pid as number));
      child.kill('SIGHUP');
      const { code, signal } = await exited;
      assert.ok(signal === 'SIGHUP' || code === 129, `ended by SIGHUP, got code ${code} signal ${signal}`);
    });

    it('as PID 1 of a PID namespace, stops on SIGTERM and reaps the children left to it', async function () {
      skipSuiteUnless(this, isRoot() ? [] : ['not running as root (a PID namespace needs it)']);
      // sh forks a short sleep, then becomes the pause program: the sleep's parent is now pause.
      const line = command().join(' ');
      const child = spawn('unshare', ['--fork', '--pid', 'sh', '-c', `sleep 0.2 & exec ${line}`]);
      const exited = exitOf(child);
      const pausePid = await eventually(() => {
        const out = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
        const pid = Number(out.split(' ')[0]);
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        if (!(pid > 0 && cmdline.startsWith(line))) throw new Error('pause has not started yet');
        return pid;
      });
      // Once the sleep ends it must not stay a zombie child of pause.
      await eventually(
        () => readFileSync(`/proc/${pausePid}/task/${pausePid}/children`, 'utf8').trim() === '',
        { timeoutMs: 5_000 },
      );
      process.kill(pausePid, 'SIGTERM');
      assert.equal((await exited).code, 0);
    });
  });
}
