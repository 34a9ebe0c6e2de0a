// A small HTTPS client for the agent benchmark: plain requests and a watch on one pod, on one
// keep-alive agent trusting the hub's CA.
import type { IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';

export const podsPath = '/api/v1/namespaces/default/pods';

export interface PodEvent {
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

export interface WatchStream {
  /** Resolves with the first pod (from an event) that satisfies `test`. */
  until(test: (pod: PodEvent) => boolean): Promise<PodEvent>;
  close(): void;
}

export interface ApiClient {
  request(method: string, path: string, body?: string): Promise<{ status: number; body: string }>;
  /** A watch on one pod name, opened (response headers received) before it resolves. */
  watchPod(name: string): Promise<WatchStream>;
  close(): void;
}

export function createApiClient(baseUrl: string, ca: string, token: string): ApiClient {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, ca });
  const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };

  const open = (method: string, path: string, body?: string) =>
    new Promise<{ res: IncomingMessage; abort: () => void }>((resolve, reject) => {
      const req = request(new URL(path, base), {
        method,
        agent,
        headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      });
      req.once('response', (res) => resolve({ res, abort: () => req.destroy() }));
      req.once('error', reject);
      req.end(body);
    });

  return {
    async request(method, path, body) {
      const { res } = await open(method, path, body);
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() };
    },
    async watchPod(name) {
      const selector = encodeURIComponent(`metadata.name=${name}`);
      const { res, abort } = await open('GET', `${podsPath}?watch=true&fieldSelector=${selector}`);
      if (res.statusCode !== 200) throw new Error(`watch ${name}: HTTP ${res.statusCode}`);
      res.setEncoding('utf8');
      const waiters: { test: (pod: PodEvent) => boolean; resolve: (pod: PodEvent) => void }[] = [];
      let pending = '';
      res.on('data', (text: string) => {
        pending += text;
        for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (!line) continue;
          const pod = (JSON.parse(line) as { object: PodEvent }).object;
          for (const waiter of waiters.splice(0)) {
            if (waiter.test(pod)) waiter.resolve(pod);
            else waiters.push(waiter);
          }
        }
      });
      res.on('error', () => {});
      return {
        until: (test) => new Promise((resolve) => waiters.push({ test, resolve })),
        close: abort,
      };
    },
    close: () => agent.destroy(),
  };
}
