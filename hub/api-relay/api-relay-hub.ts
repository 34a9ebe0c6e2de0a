// The hub's side of the API relay (api/mqtt/payloads/api-relay.ts): a pod's HTTP request, carried
// by its gateway over MQTT, is run through the hub's own API handler over an in-memory socket
// (socket-pair.ts). Only the pod's own headers go in — its bearer token above all — and nothing
// of the gateway's identity, so the request is the pod's ServiceAccount's (or anonymous: 401),
// with RBAC, admission and limits exactly as on a direct request. The answer streams back on
// apiReply/{id}: status and headers in chunk 0, then the body as it comes (a watch until the pod
// leaves or the gateway goes offline). Per gateway at most `maxRequests` requests and
// `maxWatches` watches run at once; beyond, the pod gets 429 as from kube-apiserver's
// in-flight limit.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { tooManyRequests } from '../../api/errors.js';
import type { Logger } from '../../api/logger.js';
import { encodePayload } from '../../api/mqtt/codec.js';
import {
  type ApiReply,
  type ApiRequest,
  type RelayHeaders,
  relayChunkBytes,
  relayedReplyHeaders,
  relayGatewayLimits,
  type ServingCert,
} from '../../api/mqtt/payloads/api-relay.js';
import { bytesChunk } from '../../api/mqtt/payloads/requests.js';
import { buildTopic, routes } from '../../api/mqtt/route-table.js';
import type { AgentMessage } from '../broker/agent-message.js';
import type { PublishFn } from '../edge-sync/publish.js';
import { socketPair } from './socket-pair.js';

export interface ApiRelayLimits {
  /** Requests other than watches running at once per gateway. */
  maxRequests: number;
  /** Watches open at once per gateway. */
  maxWatches: number;
}

export const defaultApiRelayLimits: ApiRelayLimits = relayGatewayLimits;

export interface ApiRelayHubOptions {
  publish: PublishFn;
  /** The hub's API handler (hub/apiserver/api-server.ts). */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  limits?: Partial<ApiRelayLimits>;
  /** Issues the relay's serving certificate for a gateway's public key (hub/pki/relay-certificate.ts). */
  servingCert?: (node: string, publicKeyPem: string) => Promise<ServingCert>;
  log: Logger;
}

/** A gateway asks for its serving certificate once per connection; more often than this is ignored. */
const certRequestGapMs = 10_000;

interface Running {
  node: string;
  watch: boolean;
  stop: () => void;
}

export class ApiRelayHub {
  private readonly server;
  private readonly running = new Map<string, Running>();
  private readonly limits: ApiRelayLimits;
  private readonly certAskedAt = new Map<string, number>();

  constructor(private readonly options: ApiRelayHubOptions) {
    this.server = createServer(options.handler);
    this.limits = { ...defaultApiRelayLimits, ...options.limits };
  }

  /**
   * Feed one agent → hub message (decoded once, hub/broker/agent-message.ts); only apiRequest,
   * apiCancel, servingCertRequest and presence are looked at. Never throws.
   */
  receive(message: AgentMessage): void {
    const { node } = message;
    try {
      if (message.route === 'presence') {
        if (message.payload.ok && message.payload.value.state === 'offline') this.stopNode(node);
      } else if (message.route === 'apiCancel') {
        const running = message.payload.ok
          ? this.running.get(key(node, message.payload.value.id))
          : undefined;
        running?.stop();
      } else if (message.route === 'servingCertRequest') {
        if (message.payload.ok) this.issue(node, message.payload.value.publicKeyPem);
        else
          this.options.log.warn(
            `serving certificate request from gateway ${node} refused: ${message.payload.error}`,
          );
      } else if (message.route === 'apiRequest') {
        if (message.payload.ok) this.start(node, message.payload.value);
        else this.options.log.warn(`request from gateway ${node} refused: ${message.payload.error}`);
      }
    } catch (err) {
      this.options.log.warn(`message on ${message.topic} not handled: ${(err as Error).message}`);
    }
  }

  /** Requests running for a gateway (tests, metrics). */
  runningFor(node: string): { requests: number; watches: number } {
    let requests = 0;
    let watches = 0;
    for (const r of this.running.values()) if (r.node === node) r.watch ? watches++ : requests++;
    return { requests, watches };
  }

  stop(): void {
    for (const r of [...this.running.values()]) r.stop();
  }

  private issue(node: string, publicKeyPem: string): void {
    const issuer = this.options.servingCert;
    const last = this.certAskedAt.get(node);
    if (!issuer || (last !== undefined && Date.now() - last < certRequestGapMs)) return;
    this.certAskedAt.set(node, Date.now());
    void issuer(node, publicKeyPem)
      .catch((err: Error): ServingCert => ({ error: err.message }))
      .then((answer) =>
        this.options.publish(buildTopic(routes.servingCert, { node }), encodePayload(answer), {
          qos: routes.servingCert.qos,
          retain: false,
        }),
      );
  }

  private stopNode(node: string): void {
    for (const r of [...this.running.values()]) if (r.node === node) r.stop();
  }

  private start(node: string, request: ApiRequest): void {
    const id = key(node, request.id);
    // QoS 1 may deliver a request twice: the first one is answered.
    if (this.running.has(id)) return;
    let seq = 0;
    const send = (chunk: Omit<ApiReply, 'id' | 'seq'>) =>
      this.options.publish(
        buildTopic(routes.apiReply, { node, id: request.id }),
        encodePayload({ id: request.id, seq: seq++, ...chunk }),
        { qos: routes.apiReply.qos, retain: false },
      );
    const watch = isWatch(request);
    const counts = this.runningFor(node);
    if (watch ? counts.watches >= this.limits.maxWatches : counts.requests >= this.limits.maxRequests) {
      const status = tooManyRequests().toStatus();
      send({ status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' } });
      send({ data: JSON.stringify(status), end: true });
      return;
    }
    const [client, serverSide] = socketPair();
    this.server.emit('connection', serverSide);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.running.delete(id);
      client.destroy();
    };
    const outgoing = httpRequest(
      {
        method: request.method,
        path: request.path,
        headers: { ...plainHeaders(request.headers), host: 'kubernetes.default.svc', connection: 'close' },
        createConnection: () => client as never,
      },
      (res) => {
        send({ status: res.statusCode ?? 502, headers: replyHeaders(res) });
        res.on('data', (data: Buffer) => {
          for (let at = 0; at < data.length; at += relayChunkBytes)
            send(bytesChunk(data.subarray(at, at + relayChunkBytes)));
        });
        res.on('end', () => {
          if (!done) send({ end: true });
          finish();
        });
        res.on('error', () => finish());
        res.on('close', () => {
          if (!done) send({ end: true });
          finish();
        });
      },
    );
    outgoing.on('error', (err) => {
      if (!done) send({ error: `the hub could not run the request: ${err.message}`, end: true });
      finish();
    });
    this.running.set(id, {
      node,
      watch,
      stop: () => {
        if (!done) send({ end: true });
        finish();
      },
    });
    const body =
      request.body === undefined
        ? undefined
        : Buffer.from(request.body, request.encoding === 'base64' ? 'base64' : 'utf8');
    outgoing.end(body);
  }
}

function key(node: string, id: string): string {
  return `${node}\0${id}`;
}

function isWatch(request: ApiRequest): boolean {
  const query = request.path.split('?')[1] ?? '';
  const watch = new URLSearchParams(query).get('watch');
  return request.method === 'GET' && (watch === 'true' || watch === '1' || request.path.includes('/watch/'));
}

function plainHeaders(headers: RelayHeaders): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(headers));
}

function replyHeaders(res: IncomingMessage): RelayHeaders {
  const out: RelayHeaders = {};
  for (const name of relayedReplyHeaders) {
    const value = res.headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
