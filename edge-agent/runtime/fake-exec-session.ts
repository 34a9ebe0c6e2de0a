// A streaming exec on FakeRuntime: the built-in commands of fake-commands.ts with stdin fed by
// write()/closeStdin(), output delivered as it is written, and cancel() as an abort.
import type { ExecOptions, ExecSession } from './container-runtime.js';
import { type FakeProcess, runFakeCommand } from './fake-commands/commands.js';

/** Buffers written before a reader asks; ends once closed. */
export class InputQueue implements AsyncIterable<Buffer> {
  private readonly chunks: Buffer[] = [];
  private closed = false;
  private wake: (() => void) | undefined;

  push(data: Buffer): void {
    if (this.closed) return;
    this.chunks.push(data);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const next = this.chunks.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

export class FakeExecSession implements ExecSession {
  readonly done: Promise<number>;
  /** The last size resize() was given (a test can check the terminal size arrived). */
  size: { width: number; height: number } | undefined;
  private readonly input = new InputQueue();
  private readonly abort = new AbortController();

  constructor(
    options: ExecOptions,
    target: Pick<FakeProcess, 'config' | 'sandbox' | 'processes' | 'fs' | 'now'>,
  ) {
    if (!options.stdin) this.input.close();
    this.done = runFakeCommand(options.command, {
      ...target,
      stdin: this.input,
      // With a terminal both outputs arrive merged on stdout, as with a real tty.
      write: (stream, data) => {
        if (this.abort.signal.aborted) return;
        const to = options.tty ? 'stdout' : stream;
        if ((to === 'stdout' && options.stdout) || (to === 'stderr' && options.stderr))
          options.output(to, data);
      },
      signal: this.abort.signal,
    }).finally(() => this.input.close());
  }

  write(data: Buffer, written?: () => void): void {
    this.input.push(data);
    written?.();
  }

  closeStdin(): void {
    this.input.close();
  }

  resize(width: number, height: number): void {
    this.size = { width, height };
  }

  cancel(): void {
    this.abort.abort();
    this.input.close();
  }
}
