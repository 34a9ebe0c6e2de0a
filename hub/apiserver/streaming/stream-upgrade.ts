// The HTTPS server's `upgrade` event: kubectl's streams — pods/{name}/exec, attach and
// portforward — over WebSocket or SPDY/3.1. Each request goes through these steps, in order:
//   authorize         — the same authentication and RBAC as every other request (401, 403)
//   route             — only those three subresources upgrade; anything else is 404
//   checkPod          — kube-apiserver's checks (handlers/pod-streams.ts): pod, container, node
//   checkOnline       — an unreachable gateway is the error, whatever the protocol (503, since when)
//   chooseTransport   — exec/attach: WebSocket v5/v4.channel.k8s.io or SPDY/3.1 with
//                       v4.channel.k8s.io; port-forward: SPDY/3.1 with portforward.k8s.io, the
//                       same tunnelled in WebSocket (SPDY/3.1+portforward.k8s.io, kubectl 1.30+),
//                       or WebSocket channels with a `ports` parameter (the Python client)
//   startOnGateway    — exec/attach: the request over MQTT; the gateway's refusal is still an
//                       HTTP error (port-forward dials the gateway per connection, later)
//   upgrade + relay   — websocket-command.ts, spdy-command.ts, port-forward.ts,
//                       websocket-port-forward.ts
// Errors before the upgrade are Kubernetes Status bodies with their HTTP code, as kube-apiserver
// answers a stream it cannot serve.
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { ApiError, internalError } from '../../../api/errors.js';
import type { Logger } from '../../../api/logger.js';
import {
  attachParams,
  execParams,
  resolveContainerTarget,
  resolvePortForwardTarget,
} from '../handlers/pod-streams.js';
import {
  type AttachOptions,
  type ExecCall,
  type ExecOptions,
  NodeRequestError,
  type PortForwardOptions,
} from '../node-requests/node-requests.js';
import type { Registry } from '../registry/registry.js';
import { type RequestInfo, requestInfo } from '../request-info.js';
import { type ChannelProtocol, negotiateProtocol, supportedProtocols } from './channel-protocol.js';
import { OutputBuffer } from './output-buffer.js';
import { portForwardProtocol, servePortForward } from './port-forward.js';
import { relayOverSpdy, spdyCommandProtocol } from './spdy-command.js';
import { relayOverWebSocket } from './websocket-command.js';
import { portsParam, servePortForwardChannels } from './websocket-port-forward.js';

type Output = (stream: 'stdout' | 'stderr', data: Buffer) => void;

/** What the upgrade needs from the hub's MQTT side (NodeRequests). */
export interface StreamSource {
  exec(node: string, options: ExecOptions, output: Output): ExecCall;
  attach(node: string, options: AttachOptions, output: Output): ExecCall;
  portForward(node: string, options: PortForwardOptions, output: (data: Buffer) => void): ExecCall;
  /** Whether the gateway is connected, and since when; undefined: it never connected. */
  presenceOf?(node: string): { online: boolean; since: Date } | undefined;
}

export interface StreamUpgradeDeps {
  registry: Registry;
  /** The API server's own checks (auth/request-auth.ts): throws 401 or 403. */
  authorize(req: IncomingMessage, info: RequestInfo): void;
  source?: StreamSource | undefined;
  log?: Logger;
}

/** The WebSocket subprotocol kubectl 1.30+ tunnels port-forward's SPDY in. */
export const tunnelProtocol = `SPDY/3.1+${portForwardProtocol}`;

type Transport =
  | { kind: 'websocket'; protocol: ChannelProtocol }
  | { kind: 'spdy' }
  | { kind: 'tunnel' }
  | { kind: 'channels' };

export class StreamUpgrade {
  private readonly commands = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => negotiateProtocol(offered) ?? false,
  });
  private readonly tunnels = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) =>
      offered.has(tunnelProtocol) ? tunnelProtocol : (negotiateProtocol(offered) ?? false),
  });
  /** Sockets upgraded to SPDY, which no WebSocketServer tracks. */
  private readonly spdySockets = new Set<Duplex>();

  constructor(private readonly deps: StreamUpgradeDeps) {}

  /** For `server.on('upgrade', …)`. Never throws. */
  readonly handle = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => {});
    this.upgrade(req, socket, head).catch((err: unknown) => refuse(socket, err, this.deps.log));
  };

  /** Ends every session (hub stopping). */
  close(): void {
    for (const server of [this.commands, this.tunnels]) {
      for (const client of server.clients) client.terminate();
      server.close();
    }
    for (const socket of this.spdySockets) socket.destroy();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://apiserver');
    const info = requestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    this.deps.authorize(req, info);
    const verb = info.type === 'resource' ? info.subresource : undefined;
    if (
      info.type !== 'resource' ||
      info.group !== '' ||
      info.resource !== 'pods' ||
      (verb !== 'exec' && verb !== 'attach' && verb !== 'portforward') ||
      !info.namespace ||
      !info.name
    ) {
      throw new ApiError('NotFound', 'the server could not find the requested resource');
    }
    const pods = this.deps.registry.lookup('', 'v1', 'pods');
    if (!pods) throw new ApiError('NotFound', 'the server could not find the requested resource');
    if (verb === 'portforward') {
      return this.portForward(req, socket, head, url.searchParams, pods, info.namespace, info.name);
    }

    const params = verb === 'exec' ? execParams(url.searchParams) : attachParams(url.searchParams);
    const target = await resolveContainerTarget(pods, info.namespace, info.name, params, verb);
    this.checkOnline(target.node);
    const transport = commandTransport(req);
    const source = this.source(verb);
    const buffer = new OutputBuffer();
    const output: Output = (stream, data) => buffer.output(stream, data);
    const call =
      verb === 'exec'
        ? source.exec(target.node, target.options as ExecOptions, output)
        : source.attach(target.node, target.options, output);
    await this.started(call, socket);
    if (socket.destroyed) return call.cancel();
    const streams = {
      stdin: target.options.stdin === true,
      stdout: target.options.stdout !== false,
      stderr: target.options.stderr === true,
      tty: target.options.tty === true,
      ...(this.deps.log ? { log: this.deps.log } : {}),
    };
    if (transport.kind === 'websocket') {
      this.commands.handleUpgrade(req, socket, head, (ws) =>
        relayOverWebSocket(ws, transport.protocol, call, buffer, streams),
      );
      return;
    }
    this.switchToSpdy(socket, spdyCommandProtocol);
    relayOverSpdy(socket, head, call, buffer, streams);
  }

  private async portForward(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    query: URLSearchParams,
    pods: NonNullable<ReturnType<Registry['lookup']>>,
    namespace: string,
    pod: string,
  ): Promise<void> {
    const target = await resolvePortForwardTarget(pods, namespace, pod);
    this.checkOnline(target.node);
    const transport = portForwardTransport(req);
    const ports = transport.kind === 'channels' ? portsParam(query) : [];
    const source = this.source('portforward');
    const session = {
      pod,
      uid: target.uid,
      dial: (port: number, output: (data: Buffer) => void) =>
        source.portForward(target.node, { namespace, pod, port }, output),
      ...(this.deps.log ? { log: this.deps.log } : {}),
    };
    if (transport.kind === 'channels') {
      this.tunnels.handleUpgrade(req, socket, head, (ws) => servePortForwardChannels(ws, ports, session));
      return;
    }
    if (transport.kind === 'tunnel') {
      this.tunnels.handleUpgrade(req, socket, head, (ws) => {
        const stream = createWebSocketStream(ws);
        stream.on('error', () => ws.terminate());
        servePortForward(stream, Buffer.alloc(0), session);
      });
      return;
    }
    this.switchToSpdy(socket, portForwardProtocol);
    servePortForward(socket, head, session);
  }

  private source(verb: string): StreamSource {
    if (!this.deps.source) {
      throw new ApiError(
        'ServiceUnavailable',
        `pods/${verb} needs the MQTT side of the hub, which is not running`,
      );
    }
    return this.deps.source;
  }

  private checkOnline(node: string): void {
    const presence = this.deps.source?.presenceOf?.(node);
    if (this.deps.source?.presenceOf && !presence) {
      throw new ApiError('ServiceUnavailable', `gateway ${node} has not connected to the hub`);
    }
    if (presence && !presence.online) {
      throw new ApiError(
        'ServiceUnavailable',
        `gateway ${node} is offline since ${presence.since.toISOString()}`,
      );
    }
  }

  /** Waits for the gateway to start the command; a client that hangs up meanwhile cancels it. */
  private async started(call: ExecCall, socket: Duplex): Promise<void> {
    const hungUp = () => call.cancel();
    socket.once('close', hungUp);
    try {
      await call.started;
    } catch (err) {
      throw toApiError(err);
    } finally {
      socket.off('close', hungUp);
    }
  }

  /** The 101 answer of a SPDY upgrade (k8s.io/apimachinery httpstream), then SPDY frames. */
  private switchToSpdy(socket: Duplex, protocol: string): void {
    socket.write(
      [
        'HTTP/1.1 101 Switching Protocols',
        'Connection: Upgrade',
        'Upgrade: SPDY/3.1',
        `X-Stream-Protocol-Version: ${protocol}`,
        '',
        '',
      ].join('\r\n'),
    );
    this.spdySockets.add(socket);
    socket.once('close', () => this.spdySockets.delete(socket));
  }
}

/** The protocols a SPDY client offers: repeated X-Stream-Protocol-Version headers. */
function offeredStreamProtocols(req: IncomingMessage): string[] {
  const values = req.headersDistinct['x-stream-protocol-version'] ?? [];
  return values.flatMap((v) => v.split(',')).map((v) => v.trim());
}

function isSpdy(req: IncomingMessage): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1';
}

function commandTransport(req: IncomingMessage): Transport {
  const upgrade = String(req.headers.upgrade ?? '');
  if (isSpdy(req)) {
    const offered = offeredStreamProtocols(req);
    if (offered.includes(spdyCommandProtocol)) return { kind: 'spdy' };
    throw new ApiError(
      'Forbidden',
      `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${spdyCommandProtocol}]`,
    );
  }
  if (upgrade.toLowerCase() !== 'websocket') {
    throw new ApiError(
      'BadRequest',
      `unable to upgrade connection: exec and attach are served over WebSocket (${supportedProtocols.join(', ')}) or SPDY/3.1, not ${upgrade || 'plain HTTP'}`,
    );
  }
  const protocol = negotiateProtocol(req.headers['sec-websocket-protocol']);
  if (!protocol) {
    throw new ApiError(
      'BadRequest',
      `unable to upgrade connection: none of the offered subprotocols is supported; use one of ${supportedProtocols.join(', ')}`,
    );
  }
  return { kind: 'websocket', protocol };
}

function portForwardTransport(req: IncomingMessage): Transport {
  const upgrade = String(req.headers.upgrade ?? '');
  if (isSpdy(req)) {
    const offered = offeredStreamProtocols(req);
    if (offered.includes(portForwardProtocol)) return { kind: 'spdy' };
    throw new ApiError(
      'Forbidden',
      `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${portForwardProtocol}]`,
    );
  }
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  if (upgrade.toLowerCase() === 'websocket' && offered.includes(tunnelProtocol)) return { kind: 'tunnel' };
  if (upgrade.toLowerCase() === 'websocket' && negotiateProtocol(offered)) return { kind: 'channels' };
  throw new ApiError(
    'BadRequest',
    `unable to upgrade connection: port-forward is served over SPDY/3.1 (${portForwardProtocol}) or WebSocket with subprotocol ${tunnelProtocol} or ${supportedProtocols.join(', ')}, not ${upgrade || 'plain HTTP'}${upgrade.toLowerCase() === 'websocket' ? ` with ${offered.join(', ') || 'no subprotocol'}` : ''}`,
  );
}

/** The gateway's answer as an HTTP status: the same mapping as pods/log. */
function toApiError(err: unknown): unknown {
  if (!(err instanceof NodeRequestError)) return err;
  if (err.kind === 'failed') {
    return new ApiError(/not found/.test(err.message) ? 'NotFound' : 'BadRequest', err.message);
  }
  return new ApiError('ServiceUnavailable', err.message);
}

/** Answers a refused upgrade with a Status body and closes the connection. */
function refuse(socket: Duplex, err: unknown, log: Logger | undefined): void {
  const apiError =
    err instanceof ApiError ? err : internalError(err instanceof Error ? err.message : String(err));
  if (!(err instanceof ApiError))
    log?.error(`stream upgrade: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  if (socket.destroyed) return;
  const body = Buffer.from(JSON.stringify(apiError.toStatus()));
  const head = [
    `HTTP/1.1 ${apiError.code} ${STATUS_CODES[apiError.code] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    'Cache-Control: no-cache, private',
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(head), body]));
}
