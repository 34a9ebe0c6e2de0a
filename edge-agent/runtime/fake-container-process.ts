// The main process of a fake container: its command and args run through the fake command set
// (fake-commands/), its output goes to the container's log file in the CRI format containerd
// writes (one entry per line; a line still open when the process ends is written as it is),
// and it ends with the command's exit code — or, when the container is stopped, with what its
// TERM trap exits with, else 137 (a shell as pid 1 ignores SIGTERM until the SIGKILL).
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OutputStream } from './container-runtime.js';
import { formatCriLogLine } from './cri-log-line.js';
import { type FakeProcess, runFakeCommand } from './fake-commands/commands.js';

export class FakeContainerProcess {
  /** The exit code, once the process ended and its output is in the log file. */
  readonly done: Promise<number>;
  private readonly abort = new AbortController();
  private readonly pending: Record<OutputStream, string> = { stdout: '', stderr: '' };
  private writes: Promise<void> = Promise.resolve();
  private madeDir = false;

  constructor(
    command: string[],
    proc: Omit<FakeProcess, 'write' | 'signal' | 'stdin'>,
    private readonly logFile: string,
    private readonly now: () => number,
    /** Output as it is written (attached clients). */
    private readonly echo: (stream: OutputStream, data: Buffer) => void,
  ) {
    this.done = runFakeCommand(command, {
      ...proc,
      write: (stream, data) => this.output(stream, data),
      signal: this.abort.signal,
    })
      .catch(() => 127)
      .then(async (code) => {
        for (const stream of ['stdout', 'stderr'] as const) {
          if (this.pending[stream]) this.append(stream, [this.pending[stream]]);
        }
        await this.writes;
        return code;
      });
  }

  /** Stops the process and resolves with its exit code. */
  stop(): Promise<number> {
    this.abort.abort();
    return this.done;
  }

  private output(stream: OutputStream, data: Buffer): void {
    this.echo(stream, data);
    const lines = (this.pending[stream] + data.toString()).split('\n');
    this.pending[stream] = lines.pop() ?? '';
    if (lines.length > 0) this.append(stream, lines);
  }

  private append(stream: OutputStream, lines: string[]): void {
    const at = this.now();
    const text = lines.map((line) => formatCriLogLine(at, stream, line)).join('');
    this.writes = this.writes
      .then(async () => {
        if (!this.madeDir) await mkdir(dirname(this.logFile), { recursive: true });
        this.madeDir = true;
        await appendFile(this.logFile, text);
      })
      .catch(() => {});
  }
}
