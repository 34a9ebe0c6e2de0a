// The hub's V8 heap settings, and how `flotilla hub` gets them.
//
// The hub allocates fast and keeps a lot: 100,000 pods' objects with their JSON, watch events,
// desired-state messages. With V8's default young generation (16 MiB semi-spaces on a 64-bit
// machine) much that lives only a few hundred milliseconds — a pod status on its way through the
// store and the watchers — outlives two scavenges and is promoted, and the old generation fills
// with garbage that only a full mark-compact collects, on the one thread that also answers the
// API. With 64 MiB semi-spaces the fleet bench's rollout of 20,000 pods over 2,000 hollow
// gateways took 38 s instead of 46, at a peak RSS of 872 MiB instead of 1,073, and 100,000 pods
// over 10,000 gateways were Running in 413 s instead of 600.
//
// V8 sizes its heap once, when the process starts (v8.setFlagsFromString afterwards changes
// nothing), so a hub started without the flags runs itself again with them: one child process
// with the same arguments and output, which gets the signals the launcher gets and whose exit
// status the launcher returns. A child whose launcher is gone (kill -9) exits at once. Start the
// hub with the flags yourself (`node --max-semi-space-size=64 …/flotilla.js hub`, or in
// NODE_OPTIONS) and it runs in the one process. The agent keeps V8's defaults: a gateway has
// little memory and allocates slowly.
import { spawn } from 'node:child_process';

export const hubNodeFlags: readonly string[] = ['--max-semi-space-size=64'];

/** Set in the child a launcher starts, so it never starts another. */
const relaunchedVariable = 'FLOTILLA_HUB_RELAUNCHED';

const flagName = (flag: string) => flag.split('=')[0]!;

/** Whether this process was started with every hub flag (on the command line or in NODE_OPTIONS). */
export function runsWithHubFlags(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): boolean {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].filter(Boolean).map(flagName));
  return hubNodeFlags.every((flag) => given.has(flagName(flag)));
}

/** Whether `flotilla hub` should run itself again with the flags. */
export function shouldRelaunch(): boolean {
  return process.env[relaunchedVariable] === undefined && !runsWithHubFlags();
}

const forwarded: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * Runs this command again with the hub's flags and ends this process as the child ends. The child
 * has a process group of its own, so a terminal's Ctrl-C reaches it once, through here.
 */
export function relaunchWithHubFlags(): Promise<never> {
  const child = spawn(process.execPath, [...process.execArgv, ...hubNodeFlags, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [relaunchedVariable]: String(process.pid) },
    detached: true,
  });
  for (const signal of forwarded) process.on(signal, () => child.kill(signal));
  return new Promise<never>(() => {
    child.once('error', (err) => {
      console.error(`flotilla hub: could not start with ${hubNodeFlags.join(' ')}: ${err.message}`);
      process.exit(1);
    });
    child.once('exit', (code, signal) => {
      if (signal) {
        // End as the child ended: by the same signal.
        for (const s of forwarded) process.removeAllListeners(s);
        process.kill(process.pid, signal);
      }
      process.exit(code ?? 1);
    });
  });
}

/** In a relaunched hub: exit at once when the launcher is gone (it was killed, nothing to hand over). */
export function followLauncher(): void {
  if (process.env[relaunchedVariable] === undefined || !process.send) return;
  process.channel?.unref();
  process.once('disconnect', () => {
    console.error('flotilla hub: the process that started this hub has ended; exiting');
    process.exit(1);
  });
}
