// The requests out to gateways and their answers: each request is published on the node's route
// with a fresh id and the node's replies/{id} topic, and its numbered answer chunks are handed on
// in seq order until the end marker (QoS 1 may redeliver or, across reconnects, reorder them).
// A request the gateway says nothing about for `idleTimeoutMs` fails.
import { randomUUID } from 'node:crypto';
import { encodePayload } from '../../../api/mqtt/codec.js';
import type { StreamChunk } from '../../../api/mqtt/payloads/requests.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import type { PublishFn } from '../../edge-sync/publish.js';
import { NodeRequestError } from './request-options.js';

/** The hub → gateway routes that ask for a stream of chunks. */
export type RequestRoute =
  | 'logsRequest'
  | 'execRequest'
  | 'attachRequest'
  | 'portForwardRequest'
  | 'metricsRequest';

interface Pending {
  node: string;
  /** Every chunk in seq order, the end chunk included. */
  onChunk: (chunk: StreamChunk) => void;
  nextSeq: number;
  early: Map<number, StreamChunk>;
  timer: NodeJS.Timeout;
  settle: (err?: Error) => void;
}

export class ReplyStreams {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly publish: PublishFn,
    private readonly idleTimeoutMs: number,
    private readonly now: () => number,
    /** Why a request to `node` cannot be sent now (it is offline); undefined when it can. */
    private readonly unreachable: (node: string) => NodeRequestError | undefined,
  ) {}

  /**
   * Publishes a request on the node's route and hands every answer chunk on in seq order;
   * resolves at the end chunk, rejects with its error. Aborting sends a cancel request and resolves.
   * A request to a gateway that cannot be asked fails at once.
   */
  open(
    route: RequestRoute,
    node: string,
    body: object,
    onChunk: (chunk: StreamChunk) => void,
    signal?: AbortSignal,
  ): { id: string; promise: Promise<void> } {
    const id = randomUUID();
    const unreachable = this.unreachable(node);
    if (unreachable) return { id, promise: Promise.reject(unreachable) };
    const replyTo = buildTopic(routes.reply, { node, id });
    const request = { id, replyTo, deadline: this.now() + this.idleTimeoutMs, ...body };
    const promise = new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.publish(buildTopic(routes.cancelRequest, { node }), encodePayload({ id }), {
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
      this.publish(buildTopic(routes[route], { node }), encodePayload(request), {
        qos: routes[route].qos,
        retain: false,
      });
    });
    return { id, promise };
  }

  /** One answer chunk from `node` for request `id`; chunks of requests not out are dropped. */
  accept(node: string, id: string, chunk: StreamChunk): void {
    const entry = this.pending.get(id);
    if (!entry || entry.node !== node || chunk.seq < entry.nextSeq) return;
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

  /** Fails every request out to `node` (it went offline). */
  failNode(node: string, since: Date | undefined): void {
    for (const entry of [...this.pending.values()]) {
      if (entry.node !== node) continue;
      entry.settle(new NodeRequestError('offline', `gateway ${node} went offline`, since));
    }
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
}
