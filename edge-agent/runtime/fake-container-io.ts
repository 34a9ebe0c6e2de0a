// What passes in and out of a running fake container besides its main process: ExecSync and
// streaming exec (the fake command set over the container's filesystem, or a test's handler),
// attach to its console (fake-attach.ts), and lines a test writes to its CRI log file.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  type AttachOptions,
  type ContainerConfig,
  type ContainerStatus,
  type ExecOptions,
  type ExecResult,
  type ExecSession,
  RuntimeError,
  type SandboxConfig,
} from './container-runtime.js';
import { formatCriLogLine } from './cri-log-line.js';
import { FakeConsole } from './fake-attach.js';
import { runFakeCommand } from './fake-commands/commands.js';
import type { FakeContainerStore } from './fake-container-store.js';
import { FakeExecSession } from './fake-exec-session.js';
import { type ContainerRecord, copyContainerStatus } from './fake-records.js';

export interface FakeContainerView {
  status: ContainerStatus;
  config: ContainerConfig;
  sandbox: SandboxConfig;
}

export type FakeExecHandler = (
  container: FakeContainerView,
  command: string[],
) => ExecResult | Promise<ExecResult>;

export class FakeContainerIo {
  /** Replaces the built-in commands for ExecSync (probes in unit tests). */
  execHandler: FakeExecHandler | undefined;
  /** Streaming execs in progress, newest last (tests reach them to check what arrived). */
  readonly execSessions: FakeExecSession[] = [];

  constructor(
    private readonly containers: FakeContainerStore,
    private readonly now: () => number,
    execHandler: FakeExecHandler | undefined,
  ) {
    this.execHandler = execHandler;
  }

  async execSync(
    record: ContainerRecord,
    command: string[],
    timeoutSeconds: number,
    signal?: AbortSignal,
  ): Promise<ExecResult> {
    if (this.execHandler) {
      return this.execHandler(
        { status: copyContainerStatus(record.status), config: record.config, sandbox: record.sandbox },
        [...command],
      );
    }
    const output = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const deadline = timeoutSeconds > 0 ? AbortSignal.timeout(timeoutSeconds * 1000) : undefined;
    const stop = AbortSignal.any([signal, deadline].filter((s): s is AbortSignal => s !== undefined));
    const exitCode = await runFakeCommand(command, {
      config: record.config,
      sandbox: record.sandbox,
      processes: this.containers.processesSeenBy(record),
      fs: record.fs,
      now: this.now,
      write: (stream, data) => output[stream].push(data),
      signal: stop,
    });
    if (deadline?.aborted) {
      // containerd's words (measured): the call fails, the output is lost.
      throw new RuntimeError(
        'DeadlineExceeded',
        `ExecSync: failed to exec in container: timeout ${timeoutSeconds}s exceeded: context deadline exceeded`,
      );
    }
    return { stdout: Buffer.concat(output.stdout), stderr: Buffer.concat(output.stderr), exitCode };
  }

  exec(record: ContainerRecord, options: ExecOptions): ExecSession {
    const session = new FakeExecSession(options, {
      config: record.config,
      sandbox: record.sandbox,
      processes: this.containers.processesSeenBy(record),
      fs: record.fs,
      now: this.now,
    });
    this.execSessions.push(session);
    // containerd reports a missing executable through the session's status, in these words.
    const done = session.done.catch((err: Error) => {
      throw new RuntimeError(
        'Unknown',
        `Internal error occurred: error executing command in container: ${err.message}`,
      );
    });
    return Object.assign(session, { done });
  }

  /** The container's console, made at the first attach; its end (stdin closed) ends the container. */
  attach(record: ContainerRecord, options: AttachOptions): ExecSession {
    record.console ??= new FakeConsole(record.config, () => {
      if (record.status.state === 'RUNNING') this.containers.finish(record, 0, 'Completed', '');
    });
    return record.console.attach(options);
  }

  /** Appends one CRI-format line (`<RFC3339Nano> <stream> F <line>`) to the container's log file. */
  async emitLog(record: ContainerRecord, stream: 'stdout' | 'stderr', line: string): Promise<void> {
    const file = join(record.sandbox.logDirectory, record.config.logPath);
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, formatCriLogLine(this.now(), stream, line));
    record.console?.output(stream, Buffer.from(`${line}\n`));
  }
}
