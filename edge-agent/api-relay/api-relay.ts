// The agent's API relay: the Kubernetes API for the pods on this gateway (kubernetes.default.svc
// is pointed here by the service proxy). Each request goes to the hub over MQTT (apiRequest) with
// the pod's own headers, its bearer token above all; the hub answers as that token's user, and
// the answer streams back (apiReply) in order. While the hub is unreachable: reads this token
// made before are answered from the cache (relay-cache.ts), watches of a collection it listed
// are held open (and closed when the hub is back, so the client watches again from its last
// resourceVersion against the hub), and everything else gets 503 saying since when the hub is
// unreachable. Bounded: body size, requests and watches at once.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, tooManyRequests } from '../../api/errors.js';
import type { Logger } from '../../api/logger.js';
import { decodePayload } from '../../api/mqtt/codec.js';
import {
  type ApiReply,
  type ApiRequest,
  type RelayMethod,
  relayGatewayLimits,
  relayMethods,
} from '../../api/mqtt/payloads/api-relay.js';
import { chunkBytes } from '../../api/mqtt/payloads/requests.js';
import { parseTopic, type Route, routes } from '../../api/mqtt/route-table.js';
import { answerOffline } from './offline-answer.js';
import { type CachedRead, type RelayCache, resourceVersionOf } from './relay-cache.js';
import { header, readBody, relayedHeaders, toBody } from './relay-http.js';
import {
  collectionKey,
  describeRequest,
  impersonationOf,
  type RelayRequestInfo,
  readKey,
} from './relay-request.js';
import { sendStatus } from './relay-status.js';

export interface RelayLink {
  readonly connected: boolean;
  send<T>(route: Route<T, 'node'>, payload: T): Promise<void>;
}

export interface ApiRelayLimits {
  maxRequests: number;
  maxWatches: number;
  /** A non-watch request without any answer chunk for this long gets 504. */
  idleTimeoutMs: number;
}

export const defaultRelayLimits: ApiRelayLimits = { ...relayGatewayLimits, idleTimeoutMs: 30_000 };

export interface ApiRelayOptions {
  nodeName: string;
  link: RelayLink;
  cache: RelayCache;
  /** Since when the hub is unreachable (ms), as the agent's hub contact says. */
  offlineSince: () => number | undefined;
  limits?: Partial<ApiRelayLimits>;
  log: Logger;
}

interface InFlight {
  onChunk: (chunk: ApiReply) => void;
  /** The link went down: end what was sent, or answer offline when nothing was. */
  onLinkDown: () => void;
  nextSeq: number;
  early: Map<number, ApiReply>;
}

export class ApiRelay {
  private readonly inFlight = new Map<string, InFlight>();
  /** Watches held open offline; ended when the link is back. */
  private readonly held = new Set<ServerResponse>();
  private requests = 0;
  private watches = 0;
  private readonly limits: ApiRelayLimits;

  constructor(private readonly options: ApiRelayOptions) {
    this.limits = { ...defaultRelayLimits, ...options.limits };
  }

  get counts(): { requests: number; watches: number; held: number } {
    return { requests: this.requests, watches: this.watches, held: this.held.size };
  }

  /** The HTTP handler; never throws. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res).catch((err: unknown) => {
      if (!(err instanceof ApiError))
        this.options.log.warn(`${req.method} ${req.url}: ${(err as Error).message}`);
      sendStatus(
        res,
        err instanceof ApiError ? err : new ApiError('InternalError', String((err as Error).message)),
      );
    });
  };

  /** An apiReply message from the hub. Never throws. */
  receive(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (parsed?.route.name !== 'apiReply' || parsed.params.node !== this.options.nodeName) return;
    const decoded = decodePayload(routes.apiReply, payload);
    if (!decoded.ok) {
      this.options.log.warn(`reply refused: ${decoded.error}`);
      return;
    }
    const entry = this.inFlight.get(decoded.value.id);
    // QoS 1 may deliver a chunk twice: the first copy counts.
    if (!entry || decoded.value.seq < entry.nextSeq || entry.early.has(decoded.value.seq)) return;
    entry.early.set(decoded.value.seq, decoded.value);
    for (let next = entry.early.get(entry.nextSeq); next; next = entry.early.get(entry.nextSeq)) {
      entry.early.delete(entry.nextSeq);
      entry.nextSeq++;
      entry.onChunk(next);
    }
  }

  /** The hub is reachable again: held watches end, so clients watch again against the hub. */
  linkUp(): void {
    for (const res of [...this.held]) res.end();
  }

  /** The link is gone: requests in flight end (a watch client watches again, and is held offline). */
  linkDown(): void {
    for (const entry of [...this.inFlight.values()]) entry.onLinkDown();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET') as RelayMethod;
    if (!relayMethods.includes(method))
      throw new ApiError('MethodNotAllowed', `method ${req.method} is not relayed`);
    const info = describeRequest(
      method,
      req.url ?? '/',
      header(req, 'authorization'),
      impersonationOf(req.headers),
    );
    if (info.watch ? this.watches >= this.limits.maxWatches : this.requests >= this.limits.maxRequests)
      throw tooManyRequests();
    const count = info.watch ? 'watches' : 'requests';
    this[count]++;
    res.once('close', () => this[count]--);
    const body = await readBody(req);
    if (!this.options.link.connected) return this.answerOffline(info, req, res);
    return this.forward(info, method, req, res, body);
  }

  private answerOffline(info: RelayRequestInfo, req: IncomingMessage, res: ServerResponse): void {
    const { nodeName, cache, offlineSince } = this.options;
    answerOffline({ nodeName, cache, since: offlineSince() ?? Date.now(), held: this.held }, info, req, res);
  }

  private forward(
    info: RelayRequestInfo,
    method: RelayMethod,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ): Promise<void> {
    const id = randomUUID();
    const accept = header(req, 'accept');
    const key = readKey(info, accept);
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let status = 0;
    let contentType = '';
    let timer: NodeJS.Timeout | undefined;
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.inFlight.delete(id);
        resolve();
      };
      const idle = () => {
        if (info.watch) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (!this.inFlight.has(id)) return;
          void this.options.link.send(routes.apiCancel, { id }).catch(() => {});
          if (res.headersSent) res.destroy();
          else
            sendStatus(
              res,
              new ApiError('Timeout', `the hub did not answer within ${this.limits.idleTimeoutMs / 1000} s`),
            );
          finish();
        }, this.limits.idleTimeoutMs);
      };
      const onChunk = (chunk: ApiReply) => {
        idle();
        if (chunk.error !== undefined && !res.headersSent) {
          sendStatus(res, new ApiError('InternalError', chunk.error));
          return finish();
        }
        if (chunk.status !== undefined && !res.headersSent) {
          status = chunk.status;
          contentType = String(chunk.headers?.['content-type'] ?? '');
          res.writeHead(status, chunk.headers ?? {});
          res.flushHeaders();
        }
        if (chunk.data !== undefined) {
          const data = chunkBytes(chunk);
          res.write(data);
          keptBytes += data.length;
          if (key && keptBytes <= this.options.cache.maxEntryBytes) kept.push(data);
        }
        if (chunk.end) {
          res.end();
          this.remember(info, key, status, contentType, keptBytes, kept);
          finish();
        }
      };
      const onLinkDown = () => {
        if (res.headersSent) res.end();
        else {
          finish();
          return this.answerOffline(info, req, res);
        }
        finish();
      };
      this.inFlight.set(id, { onChunk, onLinkDown, nextSeq: 0, early: new Map() });
      res.once('close', () => {
        if (!this.inFlight.has(id)) return;
        void this.options.link.send(routes.apiCancel, { id }).catch(() => {});
        finish();
      });
      idle();
      const request: ApiRequest = { id, method, path: req.url ?? '/', headers: relayedHeaders(req) };
      if (body.length > 0) Object.assign(request, toBody(body));
      this.options.link.send(routes.apiRequest, request).catch(() => onLinkDown());
    });
  }

  /** Keeps a 2xx read for offline; forgets one the hub refused now, and a token it no longer accepts. */
  private remember(
    info: RelayRequestInfo,
    key: string | undefined,
    status: number,
    contentType: string,
    size: number,
    kept: Buffer[],
  ): void {
    const { cache } = this.options;
    if (!key || !info.identity) return;
    if (status === 401) cache.deleteIdentity(info.identity);
    if (status < 200 || status > 299 || info.method === 'HEAD' || size > cache.maxEntryBytes) {
      cache.delete(key);
      return;
    }
    const body = Buffer.concat(kept);
    const read: CachedRead = {
      key,
      identity: info.identity,
      collection: collectionKey(info),
      status,
      contentType,
      body,
      resourceVersion: resourceVersionOf(contentType, body),
      storedAt: Date.now(),
    };
    cache.put(read);
  }
}
