// Request/response over MQTT 3.1.1, a convention of our own (MQTT 5's response topic and
// correlation data are not available everywhere): the hub publishes a request carrying an `id`
// and the `replyTo` topic (always this node's `replies/{id}` topic); the agent answers with
// chunks numbered from 0 by `seq`, the last one with `end: true`. Streams (logs -f, exec) go on
// until the end chunk or a cancel request; the input of exec, attach and port-forward flows
// hub → agent on `stdin/{id}`.
import { type FieldError, invalidValue, required } from '../../errors.js';
import { readBoolean, readRecord, readStrings } from '../../validation/field-readers.js';
import {
  needCount,
  needEnum,
  needString,
  objectPayload,
  optCount,
  optEnum,
  optString,
  type Validator,
} from './checks.js';

/** Request ids are one topic level: letters, digits, '-' and '_', at most 64. */
export const requestIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

interface RequestBase {
  id: string;
  /** The topic to answer on: `flotilla/v1/nodes/{node}/replies/{id}`. */
  replyTo: string;
  /** Give up and send an end chunk with an error after this time (ms since the epoch). */
  deadline?: number;
}

export interface LogsRequest extends RequestBase {
  namespace: string;
  pod: string;
  container?: string;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

export interface ExecRequest extends RequestBase {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
  stdin?: boolean;
  /** Default true; with tty the terminal merges stderr into stdout. */
  stdout?: boolean;
  stderr?: boolean;
  tty?: boolean;
  /** Stop the command after this many seconds (0 or absent: no limit). */
  timeoutSeconds?: number;
}

/** Attach to the container's own process: its output, and its stdin if the container has one. */
export interface AttachRequest extends RequestBase {
  namespace: string;
  pod: string;
  container?: string;
  stdin?: boolean;
  /** Default true; with tty the terminal merges stderr into stdout. */
  stdout?: boolean;
  stderr?: boolean;
  tty?: boolean;
}

/**
 * One TCP connection to `port` on the pod's localhost (kubectl port-forward): a chunk with
 * `inputBytes: 0` once connected, then what the pod sends as `data` chunks; input on stdin/{id}, end: true
 * half-closes. The end chunk comes when the pod closed the connection.
 */
export interface PortForwardRequest extends RequestBase {
  namespace: string;
  pod: string;
  port: number;
}

export interface MetricsRequest extends RequestBase {
  /** `node`: the node's usage; `pods`: usage per pod on the node. */
  scope: 'node' | 'pods';
}

export interface CancelRequest {
  id: string;
}

/** One chunk of an answer (agent → hub) or of exec input (hub → agent). */
export interface StreamChunk {
  id: string;
  seq: number;
  stream?: 'stdout' | 'stderr' | 'data';
  /** Text as is (`utf8`, the default) or binary as `base64`. */
  data?: string;
  encoding?: 'utf8' | 'base64';
  end?: boolean;
  error?: string;
  exitCode?: number;
  /** Exec and attach input only: the client's terminal size changed (kubectl exec -t). */
  resize?: TerminalSize;
  /**
   * Answers to exec, attach and port-forward only: how many input bytes (from stdin/{id}) the
   * agent has handed to the process or connection so far. The hub stops reading from the client
   * while more than a window of its input is not yet acknowledged this way.
   */
  inputBytes?: number;
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** The bytes a chunk carries (base64 or text). */
export function chunkBytes(chunk: Pick<StreamChunk, 'data' | 'encoding'>): Buffer {
  if (chunk.data === undefined) return Buffer.alloc(0);
  return Buffer.from(chunk.data, chunk.encoding === 'base64' ? 'base64' : 'utf8');
}

/** Bytes as chunk fields: text when they are valid UTF-8 as they are, base64 otherwise. */
export function bytesChunk(data: Buffer): Pick<StreamChunk, 'data' | 'encoding'> {
  const text = data.toString('utf8');
  return Buffer.from(text, 'utf8').equals(data)
    ? { data: text }
    : { data: data.toString('base64'), encoding: 'base64' };
}

/** Raw bytes per chunk: base64 of 8 KiB, or 8 Ki characters even if each needs a JSON escape, fit. */
export const chunkBytesMax = 8 * 1024;

/** Input the hub sends ahead of the agent's `inputBytes` acknowledgement before it waits. */
export const inputWindowBytes = 1024 * 1024;

/** The agent acknowledges input (`inputBytes`) each time this much more has left it. */
export const inputAckBytes = 64 * 1024;

function checkBase(errs: FieldError[], body: Record<string, unknown>): void {
  checkId(errs, body.id);
  needString(errs, body.replyTo, 'replyTo', 512);
  optCount(errs, body.deadline, 'deadline');
}

function checkId(errs: FieldError[], value: unknown): void {
  const id = needString(errs, value, 'id', 64);
  if (id && !requestIdPattern.test(id)) {
    errs.push(invalidValue('id', id, `must match ${requestIdPattern.source}`));
  }
}

function checkPodTarget(errs: FieldError[], body: Record<string, unknown>): void {
  needString(errs, body.namespace, 'namespace', 63);
  needString(errs, body.pod, 'pod', 253);
  optString(errs, body.container, 'container', 63);
}

export const validateLogsRequest: Validator<LogsRequest> = objectPayload((errs, body) => {
  checkBase(errs, body);
  checkPodTarget(errs, body);
  for (const flag of ['follow', 'previous', 'timestamps']) readBoolean(errs, body[flag], flag);
  for (const count of ['tailLines', 'sinceSeconds', 'limitBytes']) optCount(errs, body[count], count);
});

export const validateExecRequest: Validator<ExecRequest> = objectPayload((errs, body) => {
  checkBase(errs, body);
  checkPodTarget(errs, body);
  if (readStrings(errs, body.command, 'command').length === 0) {
    errs.push(required('command'));
  }
  for (const flag of ['stdin', 'stdout', 'stderr', 'tty']) readBoolean(errs, body[flag], flag);
  optCount(errs, body.timeoutSeconds, 'timeoutSeconds');
});

export const validateAttachRequest: Validator<AttachRequest> = objectPayload((errs, body) => {
  checkBase(errs, body);
  checkPodTarget(errs, body);
  for (const flag of ['stdin', 'stdout', 'stderr', 'tty']) readBoolean(errs, body[flag], flag);
});

export const validatePortForwardRequest: Validator<PortForwardRequest> = objectPayload((errs, body) => {
  checkBase(errs, body);
  needString(errs, body.namespace, 'namespace', 63);
  needString(errs, body.pod, 'pod', 253);
  const port = needCount(errs, body.port, 'port');
  if (port !== undefined && (port < 1 || port > 65535)) {
    errs.push(invalidValue('port', port, 'must be between 1 and 65535, inclusive'));
  }
});

export const validateMetricsRequest: Validator<MetricsRequest> = objectPayload((errs, body) => {
  checkBase(errs, body);
  needEnum(errs, body.scope, 'scope', ['node', 'pods'] as const);
});

export const validateCancelRequest: Validator<CancelRequest> = objectPayload((errs, body) =>
  checkId(errs, body.id),
);

export const validateStreamChunk: Validator<StreamChunk> = objectPayload((errs, body) => {
  checkId(errs, body.id);
  needCount(errs, body.seq, 'seq');
  optEnum(errs, body.stream, 'stream', ['stdout', 'stderr', 'data'] as const);
  optString(errs, body.data, 'data', 48 * 1024);
  optEnum(errs, body.encoding, 'encoding', ['utf8', 'base64'] as const);
  readBoolean(errs, body.end, 'end');
  optString(errs, body.error, 'error', 1024);
  optCount(errs, body.exitCode, 'exitCode');
  optCount(errs, body.inputBytes, 'inputBytes');
  if (body.resize !== undefined) checkTerminalSize(errs, body.resize);
});

function checkTerminalSize(errs: FieldError[], value: unknown): void {
  const size = readRecord(errs, value, 'resize');
  if (!size) return;
  for (const side of ['width', 'height']) {
    const n = needCount(errs, size[side], `resize.${side}`);
    // A terminal size travels as uint16 in the remotecommand resize channel.
    if (n !== undefined && n > 0xffff) errs.push(invalidValue(`resize.${side}`, n, 'must be at most 65535'));
  }
}
