// The HTTPS client the fuzzer drives the API with: keep-alive connections, the request target
// sent exactly as generated (no URL parsing, so dot segments and odd escapes reach the server),
// streams (watch, logs) cut once their status line is in, and a deadline on every answer.
import { Agent, request } from 'node:https';
import type { FuzzRequest } from './fuzz-request.js';

export interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
  /** A 2xx answer without Content-Length (a watch or log stream), cut after its headers. */
  streamed: boolean;
  ms: number;
}

export class FuzzClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(
    apiUrl: string,
    ca: string,
    private readonly token: string,
    sockets: number,
  ) {
    this.url = new URL(apiUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, ca });
  }

  send(
    req: Pick<FuzzRequest, 'method' | 'path' | 'headers' | 'body'>,
    deadlineMs = 10_000,
  ): Promise<FuzzResponse> {
    const started = performance.now();
    const body =
      req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method: req.method,
          path: req.path,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.token}`,
            ...(body !== undefined ? { 'Content-Length': String(body.length) } : {}),
            ...req.headers,
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const contentType = String(res.headers['content-type'] ?? '');
          const finish = (text: string, streamed: boolean) => {
            clearTimeout(timer);
            resolve({ status, contentType, text, streamed, ms: performance.now() - started });
          };
          if (status < 300 && res.headers['content-length'] === undefined && req.method !== 'HEAD') {
            res.destroy();
            finish('', true);
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => finish(Buffer.concat(chunks).toString('utf8'), false));
          res.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
          });
        },
      );
      const timer = setTimeout(() => {
        outgoing.destroy(new Error(`no answer within ${deadlineMs} ms`));
      }, deadlineMs);
      outgoing.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
