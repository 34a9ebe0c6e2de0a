// The relay's HTTPS listener and its serving certificate. The key is the gateway's own (created
// once under <data dir>/api-relay, 0600); the hub signs a certificate for it on request
// (servingCertRequest → servingCert) for the names pods use, so pods that trust the hub's CA
// (their ca.crt) accept the relay. The certificate is kept on disk too: after a restart while
// the hub is unreachable the relay serves at once. A new one is asked for on every connection
// while less than 30 days are left. Connections that did not arrive at the relay's own address
// (the pod network's gateway the ClusterIP is pointed to) are closed, so the relay is not
// offered on the gateway's other networks.
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../../api/logger.js';
import { decodePayload } from '../../api/mqtt/codec.js';
import type { ServingCert } from '../../api/mqtt/payloads/api-relay.js';
import { parseTopic, routes } from '../../api/mqtt/route-table.js';
import type { ApiRelay, RelayLink } from './api-relay.js';

const renewBeforeMs = 30 * 24 * 3600 * 1000;

export interface RelayServerOptions {
  dataDir: string;
  nodeName: string;
  relay: ApiRelay;
  link: RelayLink;
  host: string;
  port: number;
  /** The one local address connections may arrive at; undefined: any. */
  localAddress?: () => string | undefined;
  /** Called once the relay listens (the service proxy can point at it). */
  listening?: () => void;
  log: Logger;
}

export class RelayServer {
  private server: Server | undefined;
  private readonly keyPem: string;
  private certPem: string | undefined;
  private readonly dir: string;
  private listening: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: RelayServerOptions) {
    this.dir = join(options.dataDir, 'api-relay');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.keyPem = this.loadOrCreateKey();
    const certPath = join(this.dir, 'serving.crt');
    const kept = existsSync(certPath) ? readFileSync(certPath, 'utf8') : undefined;
    if (kept && this.fits(kept, 0)) this.certPem = kept;
  }

  /** The port the relay listens on, once it does. */
  get port(): number | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address?.port;
  }

  /**
   * Listens now when a certificate is at hand (else once the hub sent one). Never fails the
   * agent: a port in use is logged and tried again every 10 s.
   */
  async start(): Promise<void> {
    if (this.certPem) await this.listen().catch(() => {});
  }

  /** The link is up: ask for a certificate when there is none or it is due. */
  linkUp(): void {
    if (this.certPem && this.fits(this.certPem, renewBeforeMs)) return;
    const publicKeyPem = createPublicKey(this.keyPem).export({ type: 'spki', format: 'pem' }).toString();
    void this.options.link.send(routes.servingCertRequest, { publicKeyPem }).catch(() => {});
  }

  /** A servingCert message. Never throws. */
  receive(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (parsed?.route.name !== 'servingCert' || parsed.params.node !== this.options.nodeName) return;
    const decoded = decodePayload(routes.servingCert, payload);
    if (!decoded.ok) {
      this.options.log.warn(`serving certificate refused: ${decoded.error}`);
      return;
    }
    void this.accept(decoded.value).catch((err: Error) =>
      this.options.log.warn(`serving certificate not used: ${err.message}`),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async accept(answer: ServingCert): Promise<void> {
    if (answer.error !== undefined || !answer.certPem) throw new Error(answer.error ?? 'no certificate');
    const cert = new X509Certificate(answer.certPem);
    if (!cert.checkPrivateKey(createPrivateKey(this.keyPem))) throw new Error('it is not for the relay key');
    if (answer.caPem && !cert.verify(new X509Certificate(answer.caPem).publicKey))
      throw new Error('it is not signed by the hub CA');
    writeFileSync(join(this.dir, 'serving.crt'), answer.certPem, { mode: 0o600 });
    this.certPem = answer.certPem;
    this.options.log.info(`serving certificate valid until ${cert.validTo}`);
    if (this.server) this.server.setSecureContext({ key: this.keyPem, cert: answer.certPem });
    else await this.listen().catch(() => {});
  }

  private listen(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.listening ??= new Promise<void>((resolve, reject) => {
      const server = createServer(
        { key: this.keyPem, cert: this.certPem, headersTimeout: 30_000, requestTimeout: 60_000 },
        this.options.relay.handle,
      );
      server.maxConnections = 512;
      server.on('connection', (socket: Socket) => {
        const only = this.options.localAddress?.();
        if (only && socket.localAddress?.replace(/^::ffff:/, '') !== only) socket.destroy();
      });
      server.on('tlsClientError', () => {});
      server.once('error', (err: Error) => {
        this.listening = undefined;
        this.options.log.warn(
          `cannot listen on ${this.options.host}:${this.options.port}: ${err.message}; trying again in 10 s`,
        );
        this.retry = setTimeout(() => void this.listen().catch(() => {}), 10_000);
        this.retry.unref();
        reject(err);
      });
      server.listen(this.options.port, this.options.host, () => {
        server.removeAllListeners('error');
        server.on('error', (err) => this.options.log.info(`${err.message}`));
        this.server = server;
        this.options.log.info(`serving the Kubernetes API for pods on ${this.options.host}:${this.port}`);
        resolve();
        this.options.listening?.();
      });
    });
    return this.listening;
  }

  private fits(certPem: string, marginMs: number): boolean {
    try {
      const cert = new X509Certificate(certPem);
      return (
        cert.checkPrivateKey(createPrivateKey(this.keyPem)) &&
        Date.parse(cert.validTo) - Date.now() > marginMs
      );
    } catch {
      return false;
    }
  }

  private loadOrCreateKey(): string {
    const path = join(this.dir, 'serving.key');
    if (existsSync(path)) return readFileSync(path, 'utf8');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(path, pem, { mode: 0o600 });
    return pem;
  }
}
