// LIST then WATCH of one collection, as an informer does, restarted (LIST again) whenever the
// stream ends or the hub answers 410 Gone: the benchmark sees every change through the API the
// way a user would, and a consumer keyed by name or uid stays correct across a re-list.
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { type Endpoint, sendJson } from './http-client.js';

export interface WatchedObject {
  metadata: { name: string; namespace?: string; uid: string; resourceVersion?: string };
  spec?: Record<string, any>;
  status?: Record<string, any>;
}

export type WatchHandler = (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: WatchedObject, at: number) => void;

export class ObjectWatch {
  private stopped = false;
  private current: (() => void) | undefined;
  /** Stream restarts so far (each is a LIST), for the notes. */
  restarts = 0;

  /** `path`: a collection path, with a query string or without. */
  constructor(
    private readonly endpoint: Endpoint,
    private readonly path: string,
    private readonly onEvent: WatchHandler,
  ) {}

  /** Resolves after the first LIST has been delivered and the watch is open. */
  start(): Promise<void> {
    return this.cycle();
  }

  stop(): void {
    this.stopped = true;
    this.current?.();
  }

  private async cycle(): Promise<void> {
    const list = await sendJson<{ metadata: { resourceVersion: string }; items: WatchedObject[] }>(
      this.endpoint,
      { method: 'GET', path: this.path },
      200,
    );
    const at = Date.now();
    for (const item of list.items) this.onEvent('ADDED', item, at);
    await this.watch(list.metadata.resourceVersion);
  }

  private restart(): void {
    if (this.stopped) return;
    this.restarts++;
    const retry = () => {
      if (!this.stopped) this.cycle().catch(() => setTimeout(retry, 2_000));
    };
    setTimeout(retry, 500);
  }

  private watch(resourceVersion: string): Promise<void> {
    const separator = this.path.includes('?') ? '&' : '?';
    const url = new URL(
      `${this.path}${separator}watch=true&resourceVersion=${resourceVersion}`,
      this.endpoint.baseUrl,
    );
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'GET', agent: this.endpoint.agent, headers: this.endpoint.headers });
      this.current = () => req.destroy();
      let ended = false;
      const ending = () => {
        if (ended) return;
        ended = true;
        this.restart();
      };
      req.once('error', (err) => {
        reject(err);
        ending();
      });
      req.once('response', (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`watch ${this.path}: HTTP ${res.statusCode}`));
          return;
        }
        resolve();
        res.setEncoding('utf8');
        let pending = '';
        res.on('data', (text: string) => {
          pending += text;
          for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
            const line = pending.slice(0, nl).trim();
            pending = pending.slice(nl + 1);
            if (line) this.deliver(line, req.destroy.bind(req));
          }
        });
        res.once('close', ending);
      });
      req.end();
    });
  }

  private deliver(line: string, end: () => void): void {
    const event = JSON.parse(line) as { type: string; object: WatchedObject };
    if (event.type === 'ERROR') {
      end();
      return;
    }
    if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED')
      this.onEvent(event.type, event.object, Date.now());
  }
}
