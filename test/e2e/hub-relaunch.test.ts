// `flotilla hub` started without its heap flags (cli/hub-heap.ts) runs itself again with them:
// one child that does the work, signals passed on, its exit status returned, and no child left
// behind when the launcher is killed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { hubNodeFlags } from '../../cli/hub-heap.js';
import { eventually } from '../helpers/eventually.js';
import { exited, type HubProcess, runFlotilla, startHubProcess, tempDir } from '../helpers/hub-process.js';

/** Pids whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …; comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

/**
 * Children of `pid` that run flotilla: a hub also starts a short-lived helper of its own (the
 * broker's accept fan-out, hub/broker/accept-fanout.ts, `node -e …`), which is not a relaunch.
 */
function flotillaChildrenOf(pid: number): number[] {
  return childrenOf(pid).filter((child) => {
    try {
      return commandLine(child).some((arg) => arg.endsWith('flotilla.js'));
    } catch {
      return false; // ended while we looked
    }
  });
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Hubs a test launched: stopped after it, so a failed assertion leaves no hub running. */
const launched: HubProcess[] = [];

/** `flotilla hub …` as a user runs it: no node flags (unless in `env`). */
const launchHub = async (env?: NodeJS.ProcessEnv): Promise<HubProcess> => {
  const hub = await startHubProcess(tempDir('relaunch'), [], { heapFlags: false, ...(env ? { env } : {}) });
  launched.push(hub);
  return hub;
};

describe('flotilla hub relaunches itself with its heap flags', function () {
  this.timeout(60_000);

  afterEach(async () => {
    for (const hub of launched.splice(0))
      if (hub.child.exitCode === null && hub.child.signalCode === null) await hub.stop();
  });

  it('runs the hub in one child with the flags and stops both on SIGTERM, exit status 0', async () => {
    const hub = await launchHub();
    const launcher = hub.child;
    const [child, ...more] = flotillaChildrenOf(launcher.pid!);
    assert.ok(child !== undefined && more.length === 0, 'exactly one child');
    for (const flag of hubNodeFlags) {
      assert.ok(commandLine(child).includes(flag), `the child runs with ${flag}`);
      assert.ok(!commandLine(launcher.pid!).includes(flag));
    }
    assert.equal(flotillaChildrenOf(child).length, 0, 'the child does not relaunch again');
    assert.equal(await hub.stop(), 0);
    assert.equal(alive(child), false);
    assert.equal(hub.output().match(/SIGTERM, shutting down/g)?.length, 1, hub.output());
  });

  it('leaves no hub running when the launcher is killed with SIGKILL', async () => {
    const hub = await launchHub();
    const [child] = flotillaChildrenOf(hub.child.pid!);
    assert.ok(child !== undefined);
    await hub.kill();
    assert.equal(await eventually(() => !alive(child), { timeoutMs: 10_000 }), true, 'the child exited');
  });

  it('does not relaunch when the flags come in NODE_OPTIONS', async () => {
    const hub = await launchHub({ ...process.env, NODE_OPTIONS: hubNodeFlags.join(' ') });
    assert.deepEqual(flotillaChildrenOf(hub.child.pid!), []);
    assert.equal(await hub.stop(), 0);
  });

  it('returns the exit status of a hub that refuses its flags', async () => {
    const launcher = runFlotilla(['hub', '--api-port', '99999999'], { heapFlags: false });
    let out = '';
    launcher.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    assert.equal(await exited(launcher), 2);
    assert.match(out, /--(data-dir|api-port)/);
  });
});
