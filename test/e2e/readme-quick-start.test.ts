// The README's quick start, followed to the letter: its commands are read from README.md itself
// (readme-commands.ts), so this test breaks when the README drifts. They run in a scratch
// directory with the README's relative data dir, in a network namespace of the test's own with
// only loopback — so the hub's local gateway cannot reach any registry, as on an air-gapped site,
// and takes the agent's built-in sandbox image; its rules, DNS address and bridges stay in there.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ManagedContainerd } from '../../edge-agent/runtime/managed-containerd.js';
import { eventually } from '../helpers/eventually.js';
import { flotillaBin } from '../helpers/hub-process.js';
import { kubectlBin } from '../helpers/kubectl.js';
import { asTestCommand, readmeSection, shellCommands } from '../helpers/readme-commands.js';
import { skipUnlessRuntimeHost } from '../helpers/test-gateway-runtime.js';

const run = promisify(execFile);
const netns = 'fl-readme';
const netnsPath = `/var/run/netns/${netns}`;
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** `npm ci` has run (the test runs from the built tree) and `npm test` is what runs this. */
const notRunHere = /^npm (ci|test)\b/;

/** `command` through sh in the test's netns; `exec`: sh becomes it, so signals reach it. */
function inNetns(command: string, cwd: string, exec = false): ChildProcess {
  return spawn('nsenter', [`--net=${netnsPath}`, 'sh', '-c', exec ? `exec ${command}` : command], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): () => string {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return () => out;
}

async function runToEnd(command: string, cwd: string): Promise<{ code: number | null; output: string }> {
  const child = inNetns(command, cwd);
  const output = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, output: output() };
}

describe('the README quick start, followed to the letter', function () {
  this.timeout(300_000);
  let scratch: string;
  let hub: ChildProcess | undefined;
  let hubOutput: () => string = () => '';

  before(async function () {
    skipUnlessRuntimeHost(this);
    scratch = mkdtempSync(join(tmpdir(), 'flotilla-readme-'));
    await run('ip', ['netns', 'del', netns]).catch(() => {});
    await run('ip', ['netns', 'add', netns]);
    await run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
  });

  after(async () => {
    if (hub && hub.exitCode === null) {
      hub.kill('SIGTERM');
      await new Promise((resolve) => hub?.once('exit', resolve));
    }
    if (!scratch) return;
    // The pod outlives its agent (kubelet semantics): take its containerd, shims and mounts away.
    const agentDir = join(scratch, 'hub-data', 'agent');
    await new ManagedContainerd({ dataDir: agentDir, pauseImage: 'unused', netns: netnsPath })
      .purge()
      .catch(() => {});
    await run('ip', ['netns', 'del', netns]).catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs the hub with a relative data dir, imports a first image and runs a pod that logs', async () => {
    const tools = {
      node: process.execPath,
      flotillaBin,
      kubectl: kubectlBin,
      kubectlCacheDir: join(scratch, '.kube-cache'),
    };
    const commands = shellCommands(readmeSection(readme, 'Quick start')).filter((c) => !notRunHere.test(c));
    const hubIndex = commands.findIndex((c) => / hub --data-dir /.test(c));
    assert.ok(hubIndex >= 0, 'the quick start starts the hub');
    const transcript: string[] = [];
    const fail = (why: string) =>
      assert.fail(`${why}\n--- transcript ---\n${transcript.join('\n')}\n--- hub ---\n${hubOutput()}`);

    hub = inNetns(asTestCommand(commands[hubIndex] as string, tools), scratch, true);
    hubOutput = collect(hub);
    // What a reader waits for before the second terminal: the gateway is up.
    await eventually(() => /local agent started as node/.test(hubOutput()), {
      timeoutMs: 60_000,
      intervalMs: 200,
    }).catch(() => fail('the hub never started its local agent'));

    let logs = '';
    for (const command of commands.filter((_, i) => i !== hubIndex)) {
      const result = await runToEnd(asTestCommand(command, tools), scratch);
      transcript.push(`$ ${command}\n${result.output}`);
      if (result.code !== 0) fail(`"${command}" exited ${result.code}`);
      if (/ logs hello$/.test(command)) logs = result.output;
    }
    assert.equal(logs.trim(), 'hello from flotilla');
    assert.match(hubOutput(), /using the built-in localhost\/flotilla\/pause:1/, 'no registry in reach');
    assert.doesNotMatch(hubOutput(), /local agent not started/);
  });
});
