// Servers under test run in their own processes, so the load generator does not share an
// event loop (or, on a 2-core machine, a core) with the server it measures.
import { type ChildProcess, spawn } from 'node:child_process';

export interface ChildServer {
  /** The first capture group of `readyLine`, e.g. the URL the server printed. */
  match: RegExpMatchArray;
  pid: number;
  stop(): Promise<void>;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
}

export interface ChildServerOptions {
  args: string[];
  cwd: string;
  readyLine: RegExp;
  readyTimeoutMs: number;
  /** Prefix for the child's stderr, which is passed through for diagnosis. */
  label: string;
  /** SIGTERM → SIGKILL grace (default 10 s). */
  stopTimeoutMs?: number;
}

export function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  // process.execPath directly (not npx or a shell), so the pid we signal is the server's.
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => process.stderr.write(prefixLines(options.label, text)));
  return new Promise((resolve, reject) => {
    let seen = '';
    let ready = false;
    const fail = (err: Error) => {
      clearTimeout(timer);
      void stopChild(child);
      reject(err);
    };
    const timer = setTimeout(
      () =>
        fail(
          new Error(`${options.label} printed no ready line within ${options.readyTimeoutMs} ms: ${seen}`),
        ),
      options.readyTimeoutMs,
    );
    child.once('exit', (code, signal) =>
      fail(new Error(`${options.label} exited (${code ?? signal}): ${seen}`)),
    );
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (text: string) => {
      // Keep reading after ready, so a chatty child never blocks on a full pipe.
      if (ready) return;
      if (seen.length < 10_000) seen += text;
      const match = seen.match(options.readyLine);
      if (!match) return;
      ready = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        match,
        pid: child.pid!,
        stop: () => stopChild(child, options.stopTimeoutMs),
        kill: () => killChild(child),
      });
    });
  });
}

/** SIGTERM, then SIGKILL if the child has not exited within `timeoutMs`. */
function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function prefixLines(label: string, text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `[${label}] ${line}` : line))
    .join('\n');
}
