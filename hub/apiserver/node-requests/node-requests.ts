// Requests from the hub to one gateway over MQTT (api/mqtt/payloads/requests.ts): publish on the
// node's request topic with a fresh id and the node's replies/{id} topic, then collect the
// numbered chunks until the end marker. The hub already listens to every agent → hub route,
// replies and presence included, so this only has to be fed those messages. Logs stream text;
// exec, attach and port-forward stream bytes both ways (input on `stdin/{id}`); metrics answer
// one JSON document.
import { randomUUID } from 'node:crypto';
import { decodePayload, encodePayload } from '../../../api/mqtt/codec.js';
import {
  bytesChunk,
  chunkBytes,
  chunkBytesMax,
  inputWindowBytes,
  type StreamChunk,
  type TerminalSize,
} from '../../../api/mqtt/payloads/requests.js';
import { buildTopic, parseTopic, routes } from '../../../api/mqtt/route-table.js';
import type { PublishFn } from '../../edge-sync/publish.js';

export interface LogsOptions {
  namespace: string;
  pod: string;
  container?: string | undefined;
  tailLines?: number | undefined;
  previous?: boolean | undefined;
  follow?: boolean | undefined;
  sinceSeconds?: number | undefined;
  timestamps?: boolean | undefined;
  limitBytes?: number | undefined;
}

export interface ExecOptions {
  namespace: string;
  pod: string;
  container?: string | undefined;
  command: string[];
  stdin?: boolean | undefined;
  stdout?: boolean | undefined;
  stderr?: boolean | undefined;
  tty?: boolean | undefined;
  timeoutSeconds?: number | undefined;
}

/** Attach to the container's own process (`kubectl attach`, `kubectl run -i`). */
export type AttachOptions = Omit<ExecOptions, 'command' | 'timeoutSeconds'>;

export interface PortForwardOptions {
  namespace: string;
  pod: string;
  /** The port in the pod's network namespace (on its localhost). */
  port: number;
}

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

/** Why a request failed: the node is offline, said nothing in time, or answered with an error. */
export class NodeRequestError extends Error {
  constructor(
    readonly kind: 'offline' | 'timeout' | 'failed',
    message: string,
    /** offline: since when, when known. */
    readonly since?: Date,
  ) {
    super(message);
    this.name = 'NodeRequestError';
  }
}

/** The largest usage answer taken from a gateway: about 10,000 pods' worth. */
export const metricsBytesMax = 4 * 1024 * 1024;

interface Pending {
  node: string;
  /** Every chunk in seq order, the end chunk included. */
  onChunk: (chunk: StreamChunk) => void;
  nextSeq: number;
  early: Map<number, StreamChunk>;
  timer: NodeJS.Timeout;
  settle: (err?: Error) => void;
}

export interface NodeRequestsOptions {
  publish: PublishFn;
  /** Give up when no chunk arrives for this long (ms, default 10 000). */
  idleTimeoutMs?: number;
  now?: () => number;
}

export class NodeRequests {
  private readonly pending = new Map<string, Pending>();
  private readonly presence = new Map<string, { online: boolean; since: number }>();
  private readonly idleTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: NodeRequestsOptions) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Feed one received MQTT message; only replies and presence are looked at. Never throws. */
  receive(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    const node = parsed?.params.node;
    if (!parsed || !node) return;
    if (parsed.route.name === 'presence') {
      const decoded = decodePayload(routes.presence, payload);
      if (!decoded.ok) return;
      const online = decoded.value.state === 'online';
      this.presence.set(node, { online, since: decoded.value.since ?? this.now() });
      if (!online) this.failNode(node);
      return;
    }
    if (parsed.route.name !== 'reply') return;
    const pending = this.pending.get(parsed.params.id ?? '');
    if (!pending || pending.node !== node) return;
    const decoded = decodePayload(routes.reply, payload);
    if (!decoded.ok) return;
    this.accept(pending, decoded.value);
  }

  /** Gateways whose agent is connected, and those whose presence says offline. */
  presenceCounts(): { online: number; offline: number } {
    let online = 0;
    for (const known of this.presence.values()) if (known.online) online++;
    return { online, offline: this.presence.size - online };
  }

  /** Whether the node's agent is connected, as its retained presence says; undefined if never seen. */
  presenceOf(node: string): { online: boolean; since: Date } | undefined {
    const known = this.presence.get(node);
    return known && { online: known.online, since: new Date(known.since) };
  }

  /**
   * Streams the container's log text to `onChunk`; resolves at the end marker. Aborting sends
   * a cancel request and resolves.
   */
  logs(
    node: string,
    options: LogsOptions,
    onChunk: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    return this.request(
      'logsRequest',
      node,
      definedOnly(options),
      (chunk) => {
        if (chunk.data !== undefined) onChunk(chunkBytes(chunk).toString('utf8'));
      },
      signal,
    ).promise;
  }

  /** Starts a command on the gateway; output bytes go to `output` as they come. */
  exec(
    node: string,
    options: ExecOptions,
    output: (stream: 'stdout' | 'stderr', data: Buffer) => void,
  ): ExecCall {
    return this.interactive('execRequest', node, definedOnly(options), output);
  }

  /** Attaches to a running container's process; its output goes to `output`. */
  attach(
    node: string,
    options: AttachOptions,
    output: (stream: 'stdout' | 'stderr', data: Buffer) => void,
  ): ExecCall {
    return this.interactive('attachRequest', node, definedOnly(options), output);
  }

  /** One forwarded connection to a port of the pod; what the pod sends goes to `output`. */
  portForward(node: string, options: PortForwardOptions, output: (data: Buffer) => void): ExecCall {
    return this.interactive('portForwardRequest', node, options, (_stream, data) => output(data));
  }

  /** A request whose answer streams output and whose input goes on `stdin/{id}`. */
  private interactive(
    route: 'execRequest' | 'attachRequest' | 'portForwardRequest',
    node: string,
    body: object,
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
    const { id, promise } = this.request(
      route,
      node,
      body,
      (chunk) => {
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
        if (chunk.data !== undefined)
          output(chunk.stream === 'stderr' ? 'stderr' : 'stdout', chunkBytes(chunk));
      },
      abort.signal,
    );
    const done = promise.then(() => exitCode);
    let seq = 0;
    const publishInput = (fields: Omit<StreamChunk, 'id' | 'seq'>) =>
      this.options.publish(
        buildTopic(routes.stdin, { node, id }),
        encodePayload({ id, seq: seq++, ...fields }),
        {
          qos: routes.stdin.qos,
          retain: false,
        },
      );
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

  /**
   * The node's usage (`node`) or its pods' (`pods`), as the gateway's metrics.k8s.io list. An
   * answer past `metricsBytesMax` is refused (and cancelled on the gateway), not held.
   */
  async metrics(node: string, scope: 'node' | 'pods'): Promise<unknown> {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const abort = new AbortController();
    await this.request(
      'metricsRequest',
      node,
      { scope },
      (chunk) => {
        if (chunk.data === undefined || abort.signal.aborted) return;
        const data = chunkBytes(chunk);
        bytes += data.length;
        if (bytes > metricsBytesMax) abort.abort();
        else chunks.push(data);
      },
      abort.signal,
    ).promise;
    if (abort.signal.aborted) {
      throw new NodeRequestError(
        'failed',
        `gateway ${node} answered more than ${metricsBytesMax} bytes of usage`,
      );
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  }

  /**
   * Publishes a request on the node's route and hands every answer chunk on in seq order;
   * resolves at the end chunk, rejects with its error. Aborting sends a cancel request and resolves.
   */
  private request(
    route: 'logsRequest' | 'execRequest' | 'attachRequest' | 'portForwardRequest' | 'metricsRequest',
    node: string,
    body: object,
    onChunk: (chunk: StreamChunk) => void,
    signal?: AbortSignal,
  ): { id: string; promise: Promise<void> } {
    const id = randomUUID();
    const known = this.presence.get(node);
    if (!known) {
      return {
        id,
        promise: Promise.reject(
          new NodeRequestError('offline', `gateway ${node} has not connected to the hub`),
        ),
      };
    }
    if (!known.online) {
      const since = new Date(known.since);
      return {
        id,
        promise: Promise.reject(
          new NodeRequestError('offline', `gateway ${node} is offline since ${since.toISOString()}`, since),
        ),
      };
    }
    const replyTo = buildTopic(routes.reply, { node, id });
    const request = { id, replyTo, deadline: this.now() + this.idleTimeoutMs, ...body };
    const promise = new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.options.publish(buildTopic(routes.cancelRequest, { node }), encodePayload({ id }), {
          qos: routes.cancelRequest.qos,
          retain: false,
        });
        entry.settle();
      };
      const entry: Pending = {
        node,
        onChunk,
        nextSeq: 0,
        early: new Map(),
        timer: this.idleTimer(id, node),
        settle: (err) => {
          clearTimeout(entry.timer);
          this.pending.delete(id);
          signal?.removeEventListener('abort', onAbort);
          if (err) reject(err);
          else resolve();
        },
      };
      this.pending.set(id, entry);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.options.publish(buildTopic(routes[route], { node }), encodePayload(request), {
        qos: routes[route].qos,
        retain: false,
      });
    });
    return { id, promise };
  }

  /** Fails every request in flight (hub shutting down). */
  stop(): void {
    for (const entry of [...this.pending.values()]) {
      entry.settle(new NodeRequestError('offline', 'the hub is shutting down'));
    }
  }

  private idleTimer(id: string, node: string): NodeJS.Timeout {
    return setTimeout(() => {
      this.pending
        .get(id)
        ?.settle(
          new NodeRequestError(
            'timeout',
            `gateway ${node} did not answer within ${this.idleTimeoutMs / 1000} s`,
          ),
        );
    }, this.idleTimeoutMs);
  }

  /** Hands chunks on in seq order (QoS 1 may redeliver or, across reconnects, reorder). */
  private accept(entry: Pending, chunk: StreamChunk): void {
    if (chunk.seq < entry.nextSeq) return;
    entry.early.set(chunk.seq, chunk);
    clearTimeout(entry.timer);
    entry.timer = this.idleTimer(chunk.id, entry.node);
    for (let next = entry.early.get(entry.nextSeq); next; next = entry.early.get(entry.nextSeq)) {
      entry.early.delete(entry.nextSeq);
      entry.nextSeq++;
      entry.onChunk(next);
      if (next.error !== undefined || next.end) {
        entry.settle(next.error !== undefined ? new NodeRequestError('failed', next.error) : undefined);
        return;
      }
    }
  }

  private failNode(node: string): void {
    const since = this.presenceOf(node)?.since;
    for (const entry of [...this.pending.values()]) {
      if (entry.node !== node) continue;
      entry.settle(new NodeRequestError('offline', `gateway ${node} went offline`, since));
    }
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
