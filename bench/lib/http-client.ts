// The load generator's HTTP(S) client: one keep-alive agent per endpoint, so every scenario
// measures requests on warm connections and TLS handshakes stay out of the numbers.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const requestTimeoutMs = 30_000;

export interface Endpoint {
  /** Shown in the table's server column: 'hub', 'bare https', 'bare http'. */
  label: string;
  baseUrl: URL;
  agent: HttpAgent;
  headers: Record<string, string>;
}

export interface EndpointOptions {
  /** PEM of the CA that signed the server's certificate; https only. */
  ca?: string;
  token?: string;
  /** Upper bound on open connections, which bounds the requests in flight. */
  maxSockets: number;
}

export function createEndpoint(label: string, baseUrl: string, options: EndpointOptions): Endpoint {
  const url = new URL(baseUrl);
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets,
    maxFreeSockets: options.maxSockets,
  };
  const agent =
    url.protocol === 'https:'
      ? new HttpsAgent({ ...agentOptions, ca: options.ca })
      : new HttpAgent(agentOptions);
  // Both servers get the same headers, so request sizes match; the bare server ignores the token.
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token) headers['Authorization'] = `Bearer ${options.token}`;
  return { label, baseUrl: url, agent, headers };
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: string;
  /** Of the body; application/json unless said (a PATCH says which patch). */
  contentType?: string;
  /** Added to (or replacing) the endpoint's own headers, e.g. a Table Accept. */
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  bytes: number;
  /** Only when asked for: load scenarios count bytes and never hold large bodies. */
  body?: Buffer;
}

export function send(endpoint: Endpoint, spec: RequestSpec, keepBody = false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...endpoint.headers, ...spec.headers };
    if (spec.body !== undefined) {
      headers['Content-Type'] = spec.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(spec.body);
    }
    const request = endpoint.baseUrl.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      new URL(spec.path, endpoint.baseUrl),
      { method: spec.method, agent: endpoint.agent, headers },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (keepBody) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            bytes,
            ...(keepBody ? { body: Buffer.concat(chunks) } : {}),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // Bounded in time: a stuck server fails the request instead of hanging the benchmark.
    req.setTimeout(requestTimeoutMs, () => req.destroy(new Error(`no reply within ${requestTimeoutMs} ms`)));
    req.end(spec.body);
  });
}

/** Sends and parses a JSON reply, failing on any status other than `expected`. */
export async function sendJson<T>(endpoint: Endpoint, spec: RequestSpec, expected: number): Promise<T> {
  const reply = await send(endpoint, spec, true);
  const text = reply.body!.toString('utf8');
  if (reply.status !== expected) {
    throw new Error(
      `${spec.method} ${spec.path}: expected ${expected}, got ${reply.status}: ${text.slice(0, 300)}`,
    );
  }
  return JSON.parse(text) as T;
}

export function closeEndpoint(endpoint: Endpoint): void {
  endpoint.agent.destroy();
}
