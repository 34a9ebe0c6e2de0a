// One long-lived `nft -i` that takes update scripts, so an update does not pay for starting nft
// (11–20 ms per process here; the update itself takes about 1 ms inside a running nft).
//
// Line protocol (nft 1.0.6, interactive mode reading a pipe): each line of stdin is parsed and
// committed as one transaction, so the script's commands are sent joined by "; " on ONE line and
// apply all or nothing. The next line is a marker command whose output never changes and needs no
// kernel state (`describe tcp dport`); nft's stderr is merged into stdout (`2>&1`), so everything
// that arrives before the marker's output is the update's error message, in order. Element
// commands print nothing on success. Requests run one at a time.
//
// The process is started on first use, started again after it died, and ended when idle for a
// while or on close(): it never keeps the agent's event loop alive, and it reads EOF on stdin when
// the agent exits, so it ends with the agent too.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** Starts argv as a child process, stdin/stdout/stderr piped, in the namespace the rules belong to. */
export type ProcessStarter = (argv: readonly string[]) => ChildProcessWithoutNullStreams;

export const nftSessionArgv: readonly string[] = ['sh', '-c', 'exec nft -i 2>&1'];
const markerCommand = 'describe tcp dport';
const markerOutput = 'payload expression, datatype inet_service';

export class NftSessionError extends Error {
  override name = 'NftSessionError';
}

export interface NftSessionOptions {
  start: ProcessStarter;
  /** Ended after this long without requests; default 30 s. */
  idleMs?: number;
  /** A request without an answer after this long ends the process; default 10 s. */
  timeoutMs?: number;
  argv?: readonly string[];
}

interface Waiter {
  resolve: (errors: string) => void;
  reject: (error: Error) => void;
}

export class NftSession {
  private child: ChildProcessWithoutNullStreams | undefined;
  private output = '';
  private waiter: Waiter | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: NftSessionOptions) {}

  /** Whether an nft process is running now. */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the process ahead of the first request, so that one does not wait for it. */
  warm(): void {
    if (!this.child) this.spawn();
    this.armIdle();
  }

  /**
   * Applies `script` (nft commands, one per line, no comments) as one transaction. Rejects with
   * NftSessionError carrying nft's message when it refused it: then nothing of it was applied —
   * unless the process died on the way, when the caller cannot know and must sync everything.
   */
  apply(script: string): Promise<void> {
    const commands = script
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    if (commands.length === 0) return Promise.resolve();
    if (commands.some((line) => line.includes('#')))
      return Promise.reject(new NftSessionError('script: comments are not supported on one line'));
    const run = this.queue.then(() => this.request(`${commands.join('; ')}\n${markerCommand}\n`));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the process (EOF on stdin ends `nft -i`); a later apply starts a new one. */
  close(): void {
    clearTimeout(this.idleTimer);
    const child = this.child;
    if (!child) return;
    this.detach(child, new NftSessionError('nft session closed'));
    child.stdin.end();
    // nft ends on EOF at once; a stuck one is not left behind.
    setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 2000).unref();
  }

  private async request(text: string): Promise<void> {
    clearTimeout(this.idleTimer);
    const child = this.child ?? this.spawn();
    const answer = new Promise<string>((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      this.detach(child, new NftSessionError(`nft gave no answer within ${timeoutMs} ms`));
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdin.write(text);
    try {
      const errors = (await answer).trim();
      if (errors !== '') throw new NftSessionError(`nft: ${errors.split('\n').slice(0, 5).join('; ')}`);
    } finally {
      clearTimeout(timer);
      this.armIdle();
    }
  }

  private spawn(): ChildProcessWithoutNullStreams {
    const child = this.options.start(this.options.argv ?? nftSessionArgv);
    this.child = child;
    this.output = '';
    // The agent's lifetime decides, not this process: it must not hold the event loop open.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr])
      (stream as unknown as { unref?: () => void }).unref?.();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.onOutput(child, chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => this.onOutput(child, chunk));
    child.stdin.on('error', () => {}); // the exit below says what happened
    child.once('error', (error) => this.detach(child, new NftSessionError(`nft session: ${error.message}`)));
    child.once('exit', (code, signal) => {
      const said = this.output.trim();
      const why = `nft session ended (${signal ?? `exit ${code}`})${said ? `: ${said}` : ''}`;
      this.detach(child, new NftSessionError(why));
    });
    return child;
  }

  private onOutput(child: ChildProcessWithoutNullStreams, chunk: string): void {
    if (child !== this.child) return;
    this.output += chunk;
    const at = this.output.indexOf(markerOutput);
    if (at < 0) return;
    const end = this.output.indexOf('\n', at);
    if (end < 0) return;
    const errors = this.output.slice(0, at);
    this.output = this.output.slice(end + 1);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve(errors);
  }

  /** Forgets `child` (it is dead or being ended) and fails the request waiting on it. */
  private detach(child: ChildProcessWithoutNullStreams, error: Error): void {
    if (child !== this.child) return;
    this.child = undefined;
    this.output = '';
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (!this.child) return;
    this.idleTimer = setTimeout(() => this.close(), this.options.idleMs ?? 30_000);
    this.idleTimer.unref();
  }
}
