// An exec, attach or forwarded connection on a gateway: output streams back as answer chunks,
// input goes on `stdin/{id}`, with flow control — the gateway acknowledges the input bytes it has
// taken (`inputBytes`), and past `inputWindowBytes` unacknowledged the caller is told to stop
// reading from its client until the gateway catches up.
import {
  bytesChunk,
  chunkBytes,
  chunkBytesMax,
  inputWindowBytes,
  type StreamChunk,
  type TerminalSize,
} from '../../../api/mqtt/payloads/requests.js';

/** An exec, attach or forwarded connection in progress on a gateway. */
export interface ExecCall {
  /** Resolves once the gateway runs the command; rejects (NodeRequestError) when it cannot. */
  started: Promise<void>;
  /** Resolves with the exit code (0 for attach and port-forward); rejects with the gateway's error, or offline/timeout. */
  done: Promise<number>;
  /**
   * Input: bytes for stdin (the connection), a terminal size, or the end of input. False: more
   * than `inputWindowBytes` of input is not yet acknowledged by the gateway — stop reading from
   * the client until `onDrain` is called (the input is taken all the same).
   */
  send(input: { data?: Buffer; resize?: TerminalSize; end?: boolean }): boolean;
  /** Called when input may flow again after send returned false. */
  onDrain?: (() => void) | undefined;
  /** The client went away: a cancel request stops the stream on the gateway. */
  cancel(): void;
}

/** Opens the request: its answer chunks go to `onChunk`; aborting `signal` cancels it. */
export type OpenRequest = (
  onChunk: (chunk: StreamChunk) => void,
  signal: AbortSignal,
) => { id: string; promise: Promise<void> };

/** Publishes one input chunk of request `id` on the node's `stdin/{id}` topic. */
export type SendInput = (id: string, chunk: Omit<StreamChunk, 'id'>) => void;

export function interactiveCall(
  open: OpenRequest,
  sendInput: SendInput,
  output: (stream: 'stdout' | 'stderr', data: Buffer) => void,
): ExecCall {
  const abort = new AbortController();
  let exitCode = 0;
  // Input flow control: bytes sent, and acknowledged by the gateway's `inputBytes` (an agent
  // that never acknowledges, one older than this, is never held back).
  let sentInput = 0;
  let ackedInput: number | undefined;
  let blocked = false;
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const { id, promise } = open((chunk) => {
    if (chunk.end) {
      exitCode = chunk.exitCode ?? 0;
      if (chunk.error === undefined) markStarted();
      return;
    }
    markStarted();
    if (chunk.inputBytes !== undefined) {
      ackedInput = Math.max(ackedInput ?? 0, chunk.inputBytes);
      if (blocked && sentInput - ackedInput <= inputWindowBytes / 2) {
        blocked = false;
        call.onDrain?.();
      }
    }
    if (chunk.data !== undefined) output(chunk.stream === 'stderr' ? 'stderr' : 'stdout', chunkBytes(chunk));
  }, abort.signal);
  const done = promise.then(() => exitCode);
  let seq = 0;
  const publishInput = (fields: Omit<StreamChunk, 'id' | 'seq'>) => sendInput(id, { seq: seq++, ...fields });
  const call: ExecCall = {
    // Settles with `done` when the gateway fails before it ever started the command.
    started: Promise.race([started, done.then(() => undefined)]),
    done,
    send: ({ data, resize, end }) => {
      for (let at = 0; data && at < data.length; at += chunkBytesMax) {
        publishInput(bytesChunk(data.subarray(at, at + chunkBytesMax)));
      }
      sentInput += data?.length ?? 0;
      if (resize || end) publishInput({ ...(resize ? { resize } : {}), ...(end ? { end: true } : {}) });
      if (ackedInput !== undefined && sentInput - ackedInput > inputWindowBytes) blocked = true;
      return !blocked;
    },
    cancel: () => abort.abort(),
  };
  // An ended call holds nothing back.
  done
    .finally(() => {
      if (blocked) {
        blocked = false;
        call.onDrain?.();
      }
    })
    .catch(() => {});
  return call;
}
