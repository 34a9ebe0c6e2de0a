// `flotilla token create|list|delete`: bootstrap tokens, as `kubeadm token` manages them — Secrets
// `bootstrap-token-<id>` in kube-system, written through the hub's API with the admin kubeconfig
// (DIR/admin.kubeconfig, or --kubeconfig), so the hub need not be stopped and its store is the one
// place the tokens live. Output follows kubeadm's, but for create: it prints the join string a
// gateway is given, `<token>::sha256:<hash of the hub's CA>` (the CA of the kubeconfig, which is
// the one the MQTT broker's certificate chains to), so its first TLS connection is pinned.
import { join, resolve } from 'node:path';
import {
  type BootstrapToken,
  bootstrapTokenIdPattern,
  bootstrapTokenNamespace,
  bootstrapTokenSecret,
  bootstrapTokenSecretName,
  generateBootstrapToken,
  parseBootstrapToken,
  readBootstrapTokenSecret,
} from '../api/bootstrap-token.js';
import { caCertHash, formatJoinString } from '../api/mqtt/join-string.js';
import type { KubeObject } from '../api/types.js';
import { UsageError } from '../api/usage-error.js';
import { parseDuration } from './duration.js';
import { ApiRequestError, KubeApiClient, type KubeApiTarget, loadKubeconfig } from './kube-api-client.js';
import { parseFlags } from './parse-flags.js';

export const tokenUsage = `flotilla token create [--ttl DURATION] [--description TEXT] (--data-dir DIR | --kubeconfig FILE)
flotilla token list (--data-dir DIR | --kubeconfig FILE)
flotilla token delete ID|TOKEN [...] (--data-dir DIR | --kubeconfig FILE)
  --ttl DURATION                   how long the token may join new gateways, e.g. 30m, 24h (default 24h;
                                   0: never expires); gateways that joined keep working after it
  --description TEXT               what the token is for, shown by list
  --data-dir DIR                   the hub's data dir: its admin.kubeconfig is used
  --kubeconfig FILE                a kubeconfig for the hub's API (admin)
`;

const secretsPath = `/api/v1/namespaces/${bootstrapTokenNamespace}/secrets`;

function target(values: { 'data-dir'?: string | undefined; kubeconfig?: string | undefined }): KubeApiTarget {
  const dataDir = values['data-dir'];
  const kubeconfig = values.kubeconfig;
  if (dataDir !== undefined && kubeconfig !== undefined) {
    throw new UsageError('--data-dir and --kubeconfig exclude each other');
  }
  const path = kubeconfig ?? (dataDir !== undefined ? join(dataDir, 'admin.kubeconfig') : undefined);
  if (!path) throw new UsageError('--data-dir DIR or --kubeconfig FILE is required');
  return loadKubeconfig(resolve(path));
}

function client(values: { 'data-dir'?: string | undefined; kubeconfig?: string | undefined }): KubeApiClient {
  return new KubeApiClient(target(values));
}

/** kubeadm's TTL column (apimachinery's ShortHumanDuration). */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 86400 * 365) return `${Math.floor(seconds / 86400)}d`;
  return `${Math.floor(seconds / (86400 * 365))}y`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join(''),
  );
}

export function tokenRows(tokens: BootstrapToken[], now: Date): string[] {
  const rows = [['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS']];
  for (const t of tokens) {
    const expires = t.expiration;
    rows.push([
      `${t.id}.${t.secret}`,
      expires ? shortHumanDuration(expires.getTime() - now.getTime()) : '<forever>',
      expires ? expires.toISOString().replace(/\.\d{3}Z$/, 'Z') : '<never>',
      t.usages.join(','),
      t.description ?? '<none>',
      'system:bootstrappers:kubeadm:default-node-token',
    ]);
  }
  return table(rows);
}

export async function runTokenCommand(
  args: string[],
  out: (line: string) => void = (line) => console.log(line),
  now: () => Date = () => new Date(),
): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags({
    args: rest,
    allowPositionals: sub === 'delete',
    options: {
      'data-dir': { type: 'string' },
      kubeconfig: { type: 'string' },
      ...(sub === 'create' ? { ttl: { type: 'string' }, description: { type: 'string' } } : {}),
    },
  });
  switch (sub) {
    case 'create': {
      const ttlMs = parseDuration((values.ttl as string | undefined) ?? '24h', '--ttl');
      const hub = target(values);
      const api = new KubeApiClient(hub);
      const token = parseBootstrapToken(generateBootstrapToken())!;
      const description = values.description as string | undefined;
      await api.request('POST', secretsPath, {
        ...bootstrapTokenSecret({
          ...token,
          expiration: ttlMs > 0 ? new Date(now().getTime() + ttlMs) : undefined,
          description,
          usages: ['authentication', 'signing'],
        }),
      });
      const bare = `${token.id}.${token.secret}`;
      out(hub.caPem ? formatJoinString(bare, caCertHash(hub.caPem)) : bare);
      return;
    }
    case 'list': {
      const list = await client(values).request<{ items?: KubeObject[] }>('GET', secretsPath);
      const tokens = (list.items ?? [])
        .map((secret) => readBootstrapTokenSecret(secret))
        .filter((t): t is BootstrapToken => typeof t !== 'string');
      for (const line of tokenRows(tokens, now())) out(line);
      return;
    }
    case 'delete': {
      if (positionals.length === 0) throw new UsageError('delete needs a token ID or token');
      const ids = positionals.map((value) => {
        const id =
          parseBootstrapToken(value)?.id ?? (bootstrapTokenIdPattern.test(value) ? value : undefined);
        if (!id) {
          throw new UsageError(
            `${JSON.stringify(value)} is neither a token ID ([a-z0-9]{6}) nor a token ([a-z0-9]{6}.[a-z0-9]{16})`,
          );
        }
        return id;
      });
      const api = client(values);
      for (const id of ids) {
        try {
          await api.request('DELETE', `${secretsPath}/${bootstrapTokenSecretName(id)}`);
        } catch (err) {
          if (err instanceof ApiRequestError && err.status === 404) {
            throw new Error(`bootstrap token "${id}" not found`);
          }
          throw err;
        }
        out(`bootstrap token "${id}" deleted`);
      }
      return;
    }
    default:
      throw new UsageError(
        sub === undefined
          ? 'token needs a subcommand: create, list or delete'
          : `unknown token subcommand ${JSON.stringify(sub)}`,
      );
  }
}
