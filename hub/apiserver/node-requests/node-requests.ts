import { encodePayload } from '../../../api/mqtt/codec.js';
import { chunkBytes } from '../../../api/mqtt/payloads/requests.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import type { AgentMessage } from '../../broker/agent-message.js';
import type { PublishFn } from '../../edge-sync/publish.js';
import { GatewayPresence } from './gateway-presence.js';
import { type ExecCall, interactiveCall } from './interactive-call.js';
import { ReplyStreams } from './reply-streams.js';
import {
  type AttachOptions,
  definedOnly,
  type ExecOptions,
  type LogsOptions,
  NodeRequestError,
  type PortForwardOptions,
} from './request-options.js';

export type { ExecCall } from './interactive-call.js';
export {
  type AttachOptions,
  type ExecOptions,
  type LogsOptions,
  NodeRequestError,
  type PortForwardOptions,
} from './request-options.js';

/** The largest usage answer taken from a gateway: about 10,000 pods' worth. */
export const metricsBytesMax = 4 * 1024 * 1024;

export interface NodeRequestsOptions {
  publish: PublishFn;
  /** Give up when no chunk arrives for this long (ms, default 10 000). */
  idleTimeoutMs?: number;
  now?: () => number;
}

export class NodeRequests {
  private readonly presence: GatewayPresence;
  private readonly replies: ReplyStreams;

  constructor(private readonly options: NodeRequestsOptions) {
    const now = options.now ?? Date.now;
    this.presence = new GatewayPresence(now);
    this.replies = new ReplyStreams(options.publish, options.idleTimeoutMs ?? 10_000, now, (node) =>
      this.presence.unreachable(node),
    );
  }

  /** Feed one agent → hub message; only replies and presence are looked at. Never throws. */
  receive(message: AgentMessage): void {
    if (message.route === 'presence' && message.payload.ok) {
      if (this.presence.record(message.node, message.payload.value)) {
        this.replies.failNode(message.node, this.presence.of(message.node)?.since);
      }
    } else if (message.route === 'reply' && message.payload.ok) {
      this.replies.accept(message.node, message.params.id ?? '', message.payload.value);
    }
  }

  /** Gateways whose agent is connected, and those whose presence says offline. */
  presenceCounts(): { online: number; offline: number } {
    return this.presence.counts();
  }

  /** Whether the node's agent is connected, as its retained presence says; undefined if never seen. */
  presenceOf(node: string): { online: boolean; since: Date } | undefined {
    return this.presence.of(node);
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
    return this.replies.open(
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

  /**
   * The node's usage (`node`) or its pods' (`pods`), as the gateway's metrics.k8s.io list. An
   * answer past `metricsBytesMax` is refused (and cancelled on the gateway), not held.
   */
  async metrics(node: string, scope: 'node' | 'pods'): Promise<unknown> {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const abort = new AbortController();
    await this.replies.open(
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

  /** Fails every request in flight (hub shutting down). */
  stop(): void {
    this.replies.stop();
  }

  private interactive(
    route: 'execRequest' | 'attachRequest' | 'portForwardRequest',
    node: string,
    body: object,
    output: (stream: 'stdout' | 'stderr', data: Buffer) => void,
  ): ExecCall {
    return interactiveCall(
      (onChunk, signal) => this.replies.open(route, node, body, onChunk, signal),
      (id, chunk) =>
        this.options.publish(buildTopic(routes.stdin, { node, id }), encodePayload({ id, ...chunk }), {
          qos: routes.stdin.qos,
          retain: false,
        }),
      output,
    );
  }
}
