// A tiny HTTPS client for tests that talk to the API server directly (raw status codes and bodies).
import { request } from 'node:https';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any;
}

/** What else a client sends: headers on every request (impersonation), a client certificate. */
export interface ClientIdentityOptions {
  headers?: Record<string, string | string[]>;
  cert?: string;
  key?: string;
}

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly ca: string,
    private readonly token?: string,
    private readonly identity: ClientIdentityOptions = {},
  ) {}

  withToken(token: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, this.ca, token, this.identity);
  }

  /** The same client acting as `user` through impersonation headers (as `kubectl --as`). */
  as(user: string, groups: string[] = []): ApiClient {
    // One header line per group, as kubectl sends them.
    const headers: Record<string, string | string[]> = { 'Impersonate-User': user };
    if (groups.length > 0) headers['Impersonate-Group'] = groups;
    return new ApiClient(this.baseUrl, this.ca, this.token, { ...this.identity, headers });
  }

  /** A client presenting a TLS client certificate and no token. */
  withCertificate(cert: string, key: string): ApiClient {
    return new ApiClient(this.baseUrl, this.ca, undefined, { cert, key });
  }

  send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const url = new URL(path, this.baseUrl);
    return this.exchange(method, `${url.pathname}${url.search}`, body, headers);
  }

  /**
   * Sends `rawPath` byte for byte: `send` goes through WHATWG URL parsing, which resolves `.`
   * and `..` segments (also `%2e`) before the request leaves, as browsers do and curl does not.
   */
  sendRaw(method: string, rawPath: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.exchange(method, rawPath, body, headers);
  }

  private exchange(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<ApiResponse> {
    // Strings and bytes (a protobuf body) go as they are, anything else as JSON.
    const payload =
      body === undefined || typeof body === 'string' || body instanceof Uint8Array
        ? body
        : JSON.stringify(body);
    const base = new URL(this.baseUrl);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          path,
          method,
          ca: this.ca,
          cert: this.identity.cert,
          key: this.identity.key,
          headers: {
            ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
            ...this.identity.headers,
            // Node sends no body framing for DELETE unless told the length.
            ...(payload !== undefined
              ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }
              : {}),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => {
            text += d.toString();
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text,
              json: () => JSON.parse(text),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Opens a streaming GET (watch) and collects its newline-delimited events. */
  stream(
    path: string,
    headers: Record<string, string> = {},
  ): { events: any[]; ended: Promise<void>; stop: () => void } {
    const events: any[] = [];
    let buffered = '';
    let stopRequest: () => void = () => {};
    const ended = new Promise<void>((resolve, reject) => {
      const req = request(
        new URL(path, this.baseUrl),
        {
          method: 'GET',
          ca: this.ca,
          cert: this.identity.cert,
          key: this.identity.key,
          headers: {
            ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
            ...this.identity.headers,
            ...headers,
          },
        },
        (res) => {
          res.on('data', (d: Buffer) => {
            buffered += d.toString();
            let nl = buffered.indexOf('\n');
            while (nl >= 0) {
              const line = buffered.slice(0, nl).trim();
              buffered = buffered.slice(nl + 1);
              if (line) events.push(JSON.parse(line));
              nl = buffered.indexOf('\n');
            }
          });
          res.on('end', () => resolve());
          res.on('close', () => resolve());
        },
      );
      req.on('error', (err) =>
        (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(err),
      );
      req.end();
      stopRequest = () => req.destroy();
    });
    return { events, ended, stop: () => stopRequest() };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.send('GET', path, undefined, headers);
  }
  post(path: string, body: unknown, headers?: Record<string, string>) {
    return this.send('POST', path, body, headers);
  }
  put(path: string, body: unknown) {
    return this.send('PUT', path, body);
  }
  patch(path: string, body: unknown, contentType: string) {
    return this.send('PATCH', path, body, { 'Content-Type': contentType });
  }
  delete(path: string, body?: unknown) {
    return this.send('DELETE', path, body);
  }
}
