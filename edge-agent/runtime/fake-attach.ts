// Attach and port-forward on FakeRuntime. A fake container has no process to attach to, so it
// has a console: what a test emits to its log (FakeRuntime.emitLog) also reaches every attached
// client, and a container created with stdin behaves like `cat` — input from an attached client
// comes back on stdout, and with stdinOnce the end of the first client's input ends the
// container (exit 0), as `kubectl run -i … -- cat` does. A port connection reaches whatever
// server a test installed for that pod and port (FakeRuntime.onPortForward), else it is refused
// in containerd's words.
import type {
  AttachOptions,
  ExecSession,
  OutputStream,
  PortConnection,
  SandboxStatus,
} from './container-runtime.js';
import { RuntimeError } from './container-runtime.js';
import { InputQueue } from './fake-exec-session.js';

/** One attached client of a fake container's console. */
export class FakeAttachSession implements ExecSession {
  readonly done: Promise<number>;
  private finish: (code: number) => void = () => {};
  private stdinOpen: boolean;

  constructor(
    private readonly options: AttachOptions,
    private readonly console: FakeConsole,
  ) {
    this.stdinOpen = options.stdin;
    this.done = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  /** Output of the container, as this client asked for it (a terminal merges stderr). */
  deliver(stream: OutputStream, data: Buffer): void {
    const to = this.options.tty ? 'stdout' : stream;
    if ((to === 'stdout' && this.options.stdout) || (to === 'stderr' && this.options.stderr)) {
      this.options.output(to, data);
    }
  }

  write(data: Buffer, written?: () => void): void {
    if (this.stdinOpen) this.console.input(data);
    written?.();
  }

  closeStdin(): void {
    if (!this.stdinOpen) return;
    this.stdinOpen = false;
    this.console.inputEnded();
  }

  resize(): void {}

  cancel(): void {
    this.end(0);
  }

  end(code: number): void {
    this.console.detach(this);
    this.finish(code);
  }
}

/** The console of one fake container: its attached clients and its stdin. */
export class FakeConsole {
  private readonly sessions = new Set<FakeAttachSession>();

  constructor(
    private readonly config: { stdin?: boolean | undefined; stdinOnce?: boolean | undefined },
    /** The container's process ended (stdinOnce and its input closed): exit code 0. */
    private readonly exit: () => void,
  ) {}

  attach(options: AttachOptions): FakeAttachSession {
    const session = new FakeAttachSession(options, this);
    this.sessions.add(session);
    return session;
  }

  detach(session: FakeAttachSession): void {
    this.sessions.delete(session);
  }

  output(stream: OutputStream, data: Buffer): void {
    for (const session of this.sessions) session.deliver(stream, data);
  }

  input(data: Buffer): void {
    if (this.config.stdin) this.output('stdout', data);
  }

  inputEnded(): void {
    if (this.config.stdin && this.config.stdinOnce) this.exit();
  }

  /** The container stopped: every client's session ends. */
  close(): void {
    for (const session of [...this.sessions]) session.end(0);
  }
}

/** A test's server for one port of a pod: reads the client's bytes, writes its own. */
export type FakePortServer = (input: AsyncIterable<Buffer>, write: (data: Buffer) => void) => Promise<void>;

export type FakePortHandler = (sandbox: SandboxStatus, port: number) => FakePortServer | undefined;

/** Connects to a test's server, or refuses as containerd does when nothing listens. */
export function fakePortConnection(
  sandbox: SandboxStatus,
  port: number,
  server: FakePortServer | undefined,
  output: (data: Buffer) => void,
): PortConnection {
  if (!server) {
    throw new RuntimeError(
      'Unknown',
      `failed to connect to localhost:${port} inside namespace "${sandbox.id}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused`,
    );
  }
  const input = new InputQueue();
  let open = true;
  const done = server(input, (data) => {
    if (open) output(data);
  }).then(
    () => {
      open = false;
    },
    (err: Error) => {
      open = false;
      throw new RuntimeError('Unknown', err.message);
    },
  );
  return {
    write: (data, written) => {
      input.push(data);
      written?.();
    },
    end: () => input.close(),
    cancel: () => {
      open = false;
      input.close();
    },
    done,
  };
}
