// `kubectl exec` and `kubectl attach` on the agent. The hub's exec request names a pod, a
// container and a command; the answer is a chunk once the command runs (the hub upgrades the
// client's connection only then, so "pod not here" or "container not running" reach kubectl as
// HTTP errors), then stdout/stderr chunks, an empty keep-alive chunk whenever the command is
// quiet for a while, acknowledgements of input (chunk-emitter.ts), and the end chunk with the
// exit code. Two ways to run it:
//   - no stdin, no tty: CRI ExecSync, output delivered when the command has ended;
//   - `-i` / `-it`: CRI Exec and the runtime's streaming server, input from `stdin/{id}`.
// A command that cannot be started becomes exit code 127 (not found) or 126 (not executable)
// with runc's message on stderr, the shell convention kubectl users know. An attach request is
// the same without a command: CRI Attach to the container's own process, which goes on when
// the client leaves.
import {
  type AttachRequest,
  chunkBytes,
  type ExecRequest,
  type StreamChunk,
} from '../../api/mqtt/payloads/requests.js';
import { type ExecTargetDeps, findExecTarget } from '../pods/exec-target.js';
import {
  type AttachOptions,
  type ContainerRuntime,
  type ExecSession,
  RuntimeError,
} from '../runtime/container-runtime.js';
import { type ChunkFields, chunkEmitter } from './chunk-emitter.js';
import type { ExecInputs } from './exec-inputs.js';

export interface ExecDeps extends ExecTargetDeps {
  runtime: Pick<
    ContainerRuntime,
    'listContainers' | 'execSync' | 'exec' | 'attach' | 'portForward' | 'listPodSandboxes'
  >;
  inputs: ExecInputs;
  /** An empty chunk after this much silence keeps the hub from giving up (default 5 s). */
  keepAliveMs?: number;
}

export type EndFields = Pick<StreamChunk, 'exitCode' | 'error'>;

/** Runs the exec request; resolves with what its end chunk says. Never rejects. */
export async function answerExec(
  deps: ExecDeps,
  request: ExecRequest,
  signal: AbortSignal,
  send: (fields: ChunkFields) => Promise<void>,
): Promise<EndFields> {
  const { emit, output, stop, throttle, consumed } = chunkEmitter(send, deps.keepAliveMs);
  const seconds = request.timeoutSeconds ?? 0;
  try {
    const target = await findExecTarget(deps, request.namespace, request.pod, request.container);
    const interactive = request.stdin === true || request.tty === true;
    if (!interactive) {
      emit({});
      const result = await deps.runtime.execSync(target.containerId, request.command, seconds, signal);
      output('stdout', result.stdout);
      output('stderr', result.stderr);
      return { exitCode: result.exitCode };
    }
    const session = await deps.runtime.exec(target.containerId, {
      command: request.command,
      ...streamsOf(request, output),
    });
    throttle(session);
    emit({ inputBytes: 0 }); // started; input is flow-controlled from here
    return await runSession(deps, request, session, signal, seconds, consumed);
  } catch (err) {
    return failure(err, request, seconds, output);
  } finally {
    stop();
  }
}

/** Attaches to the container's process until it ends or the hub cancels. Never rejects. */
export async function answerAttach(
  deps: ExecDeps,
  request: AttachRequest,
  signal: AbortSignal,
  send: (fields: ChunkFields) => Promise<void>,
): Promise<EndFields> {
  const { emit, output, stop, throttle, consumed } = chunkEmitter(send, deps.keepAliveMs);
  try {
    const target = await findExecTarget(deps, request.namespace, request.pod, request.container);
    const session = await deps.runtime.attach(target.containerId, streamsOf(request, output));
    throttle(session);
    emit({ inputBytes: 0 });
    return await runSession(deps, request, session, signal, 0, consumed);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    stop();
  }
}

/** The streams a request asks for: stdout unless refused, stderr merged into stdout with a tty. */
function streamsOf(request: AttachRequest, output: AttachOptions['output']): AttachOptions {
  return {
    stdin: request.stdin === true,
    stdout: request.stdout !== false,
    stderr: request.stderr !== false && request.tty !== true,
    tty: request.tty === true,
    output,
  };
}

class ExecTimeout extends Error {}

async function runSession(
  deps: ExecDeps,
  request: Pick<ExecRequest, 'id'>,
  session: ExecSession,
  signal: AbortSignal,
  seconds: number,
  consumed: (bytes: number) => void,
): Promise<EndFields> {
  const stopInput = deps.inputs.open(request.id, (chunk) => {
    if (chunk.resize) session.resize(chunk.resize.width, chunk.resize.height);
    const data = chunkBytes(chunk);
    if (data.length > 0) session.write(data, () => consumed(data.length));
    if (chunk.end) session.closeStdin();
  });
  const cancel = () => session.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  let timedOut = false;
  const timer =
    seconds > 0
      ? setTimeout(() => {
          timedOut = true;
          session.cancel();
        }, seconds * 1000)
      : undefined;
  try {
    return { exitCode: await session.done };
  } catch (err) {
    if (timedOut) throw new ExecTimeout();
    throw err;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', cancel);
    stopInput();
  }
}

/** The runtime's words for a program that cannot be started (runc, via containerd). */
const notRunnable =
  /exec: "[^"]*": (executable file not found in \$PATH|no such file or directory|permission denied)/;

function failure(
  err: unknown,
  request: ExecRequest,
  seconds: number,
  output: (stream: 'stderr', data: Buffer) => void,
): EndFields {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ExecTimeout || (err instanceof RuntimeError && err.code === 'DeadlineExceeded')) {
    return {
      error: `deadline exceeded: ${JSON.stringify(request.command.join(' '))} did not finish within ${seconds}s and was stopped`,
    };
  }
  const cause = notRunnable.exec(message);
  if (cause) {
    const from = message.indexOf('OCI runtime exec failed');
    output('stderr', Buffer.from(`${from >= 0 ? message.slice(from) : cause[0]}\n`));
    return { exitCode: cause[1] === 'permission denied' ? 126 : 127 };
  }
  return { error: message };
}
