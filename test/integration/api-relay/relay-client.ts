// A pod's view of the API relay: HTTPS to the relay's port, checking its certificate against the
// hub's CA for the name pods use (kubernetes.default.svc), as a pod's client does with its ca.crt.
import { request } from 'node:https';

export interface RelayResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any;
}

export function relayRequest(
  port: number,
  ca: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RelayResponse> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        ca,
        servername: 'kubernetes.default.svc',
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (p: Buffer) => parts.push(p));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A watch through the relay: its lines as they come, and whether the relay ended it. */
export function relayWatch(
  port: number,
  ca: string,
  path: string,
  token: string,
): { lines: string[]; status: Promise<number>; ended: Promise<void>; close: () => void } {
  const lines: string[] = [];
  let buffered = '';
  let markEnded: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    markEnded = resolve;
  });
  let close: () => void = () => {};
  const status = new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        ca,
        servername: 'kubernetes.default.svc',
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.on('data', (p: Buffer) => {
          buffered += p.toString('utf8');
          const complete = buffered.split('\n');
          buffered = complete.pop() ?? '';
          lines.push(...complete.filter((l) => l !== ''));
        });
        res.on('end', markEnded);
        res.on('close', markEnded);
      },
    );
    req.on('error', (err) => {
      reject(err);
      markEnded();
    });
    req.end();
    close = () => req.destroy();
  });
  return { lines, status, ended, close: () => close() };
}
