// The HTTPS server's `upgrade` event: `kubectl exec` asks pods/{name}/exec for a WebSocket
// (v5.channel.k8s.io, else v4). Each request goes through these steps, in order:
//   authenticate      — the same bearer-token check as every other request (401 otherwise)
//   route             — only pods/{name}/exec upgrades; anything else is 404
//   checkPod          — the checks of pods/exec (pod-exec.ts): exists, running, container, node
//   checkProtocol     — a WebSocket with a channel protocol we speak (SPDY is refused: kubectl
//                       falls back to it only when the WebSocket upgrade failed, and then gets
//                       the same error again, which is what it prints)
//   startOnGateway    — the exec request over MQTT; the gateway's refusal is still an HTTP error
//   upgrade + relay   — exec-relay.ts
// Errors before the upgrade are Kubernetes Status bodies with their HTTP code, as kube-apiserver
// answers an exec it cannot serve.
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ApiError, internalError, unauthorized } from '../../../api/errors.js';
import { type ExecCall, type ExecOptions, NodeRequestError } from '../../edge-sync/node-requests.js';
import { execParams, resolveExecTarget } from '../handlers/pod-exec.js';
import type { Registry } from '../registry/registry.js';
import { requestInfo } from '../request-info.js';
import { negotiateProtocol, supportedProtocols } from './channel-protocol.js';
import { OutputBuffer, relayExec } from './exec-relay.js';

/** What the upgrade needs from the hub's MQTT side (NodeRequests). */
export interface ExecSource {
  exec(
    node: string,
    options: ExecOptions,
    output: (stream: 'stdout' | 'stderr', data: Buffer) => void,
  ): ExecCall;
  /** Whether the gateway is connected, and since when; undefined: it never connected. */
  presenceOf?(node: string): { online: boolean; since: Date } | undefined;
}

export interface ExecUpgradeDeps {
  registry: Registry;
  /** The API server's own check (api-server.ts): true when the bearer token is known. */
  authorize(req: IncomingMessage): boolean;
  exec?: ExecSource | undefined;
  log?: (line: string) => void;
}

export class ExecUpgrade {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => negotiateProtocol(offered) ?? false,
  });

  constructor(private readonly deps: ExecUpgradeDeps) {}

  /** For `server.on('upgrade', …)`. Never throws. */
  readonly handle = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => {});
    this.upgrade(req, socket, head).catch((err: unknown) => refuse(socket, err));
  };

  /** Ends every exec session (hub stopping). */
  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private checkOnline(node: string): void {
    const presence = this.deps.exec?.presenceOf?.(node);
    if (this.deps.exec?.presenceOf && !presence) {
      throw new ApiError('ServiceUnavailable', `gateway ${node} has not connected to the hub`);
    }
    if (presence && !presence.online) {
      throw new ApiError(
        'ServiceUnavailable',
        `gateway ${node} is offline since ${presence.since.toISOString()}`,
      );
    }
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (!this.deps.authorize(req)) throw unauthorized();
    const url = new URL(req.url ?? '/', 'http://apiserver');
    const info = requestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    if (
      info.type !== 'resource' ||
      info.group !== '' ||
      info.resource !== 'pods' ||
      info.subresource !== 'exec' ||
      !info.namespace ||
      !info.name
    ) {
      throw new ApiError('NotFound', 'the server could not find the requested resource');
    }
    const pods = this.deps.registry.lookup('', 'v1', 'pods');
    if (!pods) throw new ApiError('NotFound', 'the server could not find the requested resource');
    const params = execParams(url.searchParams);
    const target = await resolveExecTarget(pods, info.namespace, info.name, params);
    // An unreachable gateway is the real cause whatever protocol the client speaks (kubectl
    // 1.27-1.29 try SPDY first and would otherwise only hear that it is not spoken here).
    this.checkOnline(target.node);
    const protocol = checkProtocol(req);
    if (!this.deps.exec) {
      throw new ApiError(
        'ServiceUnavailable',
        'pods/exec needs the MQTT side of the hub, which is not running',
      );
    }
    const buffer = new OutputBuffer();
    const call = this.deps.exec.exec(target.node, target.options, (stream, data) =>
      buffer.output(stream, data),
    );
    const hungUp = () => call.cancel();
    socket.once('close', hungUp);
    try {
      await call.started;
    } catch (err) {
      throw toApiError(err);
    } finally {
      socket.off('close', hungUp);
    }
    if (socket.destroyed) return call.cancel();
    this.wss.handleUpgrade(req, socket, head, (ws) =>
      relayExec(ws, call, buffer, {
        protocol,
        stdout: target.options.stdout !== false,
        stderr: target.options.stderr === true,
        ...(this.deps.log ? { log: this.deps.log } : {}),
      }),
    );
  }
}

function checkProtocol(req: IncomingMessage) {
  const upgrade = String(req.headers.upgrade ?? '');
  if (upgrade.toLowerCase() !== 'websocket') {
    throw new ApiError(
      'BadRequest',
      `unable to upgrade connection: this hub serves exec over WebSocket (${supportedProtocols.join(', ')}), not ${upgrade || 'plain HTTP'}`,
    );
  }
  const protocol = negotiateProtocol(req.headers['sec-websocket-protocol']);
  if (!protocol) {
    throw new ApiError(
      'BadRequest',
      `unable to upgrade connection: none of the offered subprotocols is supported; use one of ${supportedProtocols.join(', ')}`,
    );
  }
  return protocol;
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
function refuse(socket: Duplex, err: unknown): void {
  const apiError =
    err instanceof ApiError ? err : internalError(err instanceof Error ? err.message : String(err));
  if (!(err instanceof ApiError)) console.error('apiserver: exec upgrade:', err);
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
