// The smallest Kubernetes API client the CLI needs: the current context of a kubeconfig (server,
// CA, bearer token), JSON over HTTPS, a Status body's message on failure. `flotilla token` talks
// to the hub this way, as kubeadm talks to kube-apiserver with admin.conf.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse } from 'yaml';

export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}

export interface KubeApiTarget {
  server: string;
  caPem?: string | undefined;
  token?: string | undefined;
}

interface Named<T> {
  name: string;
  [key: string]: T | string;
}

function find<T>(list: unknown, name: string, field: string, what: string): T {
  const found = (Array.isArray(list) ? (list as Named<T>[]) : []).find((entry) => entry?.name === name);
  if (!found?.[field]) throw new Error(`kubeconfig: no ${what} named ${JSON.stringify(name)}`);
  return found[field] as T;
}

/** The current context's server, CA and token from a kubeconfig file. */
export function loadKubeconfig(path: string): KubeApiTarget {
  const config = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const contextName = config['current-context'];
  if (typeof contextName !== 'string') throw new Error(`kubeconfig ${path}: no current-context`);
  const context = find<{ cluster: string; user: string }>(config.contexts, contextName, 'context', 'context');
  const cluster = find<Record<string, string>>(config.clusters, context.cluster, 'cluster', 'cluster');
  const user = find<Record<string, string>>(config.users, context.user, 'user', 'user');
  if (!cluster.server) throw new Error(`kubeconfig ${path}: cluster ${context.cluster} has no server`);
  const caData = cluster['certificate-authority-data'];
  const caFile = cluster['certificate-authority'];
  return {
    server: cluster.server,
    caPem: caData
      ? Buffer.from(caData, 'base64').toString('utf8')
      : caFile
        ? readFileSync(caFile, 'utf8')
        : undefined,
    token: user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined),
  };
}

export class KubeApiClient {
  constructor(private readonly target: KubeApiTarget) {}

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.target.server);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.target.token) headers.authorization = `Bearer ${this.target.token}`;
    if (payload) headers['content-type'] = 'application/json';
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(url, { method, headers, ca: this.target.caPem, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.href}: no answer in 30 s`)));
      req.on('error', reject);
      req.end(payload);
    });
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { message: text };
    }
    if (status < 200 || status >= 300) {
      const message = typeof parsed.message === 'string' ? parsed.message : `HTTP ${status}`;
      throw new ApiRequestError(
        message,
        status,
        typeof parsed.reason === 'string' ? parsed.reason : undefined,
      );
    }
    return parsed as T;
  }
}
