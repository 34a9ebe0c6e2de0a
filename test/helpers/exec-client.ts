// A `kubectl exec` stand-in for tests: opens pods/{name}/exec as a WebSocket with a channel
// protocol (v5.channel.k8s.io by default), collects stdout, stderr and the error-channel Status,
// and lets a test write stdin, resize the terminal and close stdin (v5) — or read the HTTP
// error a refused upgrade answers.
import { WebSocket } from 'ws';

export interface ExecClientOptions {
  apiUrl: string;
  ca: string;
  token?: string | undefined;
  /** e.g. /api/v1/namespaces/default/pods/web/exec?command=echo&command=hi&stdout=true */
  path: string;
  protocols?: string[];
  /** More request headers (impersonation). */
  headers?: Record<string, string>;
}

export interface ExecOutcome {
  stdout: string;
  stderr: string;
  /** The error channel's metav1.Status, parsed. */
  status: any;
  protocol: string;
}

export interface ExecConnection {
  protocol: string;
  write(data: string): void;
  resize(width: number, height: number): void;
  closeStdin(): void;
  hangUp(): void;
  /** Output so far (for waiting on partial output). */
  output(): { stdout: string; stderr: string };
  done: Promise<ExecOutcome>;
}

export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: any,
  ) {
    super(`upgrade refused with ${status}: ${JSON.stringify(body)}`);
  }
}

export function execQuery(command: string[], flags: Record<string, string | boolean> = {}): string {
  const query = new URLSearchParams();
  for (const word of command) query.append('command', word);
  for (const [key, value] of Object.entries({ stdout: true, stderr: true, ...flags })) {
    query.set(key, String(value));
  }
  return query.toString();
}

/** Connects; rejects with UpgradeRefused when the server answers with an HTTP error instead. */
export function openExec(options: ExecClientOptions): Promise<ExecConnection> {
  const url = new URL(options.path, options.apiUrl.replace(/^http/, 'ws'));
  const ws = new WebSocket(url, options.protocols ?? ['v5.channel.k8s.io', 'v4.channel.k8s.io'], {
    ca: options.ca,
    headers: { ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}), ...options.headers },
  });
  const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], error: [] as Buffer[] };
  const text = (parts: Buffer[]) => Buffer.concat(parts).toString('utf8');
  ws.on('message', (data: Buffer) => {
    const channel = data[0];
    const body = data.subarray(1);
    if (channel === 1) out.stdout.push(body);
    else if (channel === 2) out.stderr.push(body);
    else if (channel === 3) out.error.push(body);
  });
  const done = new Promise<ExecOutcome>((resolve) => {
    ws.on('close', () => {
      const error = text(out.error);
      resolve({
        stdout: text(out.stdout),
        stderr: text(out.stderr),
        status: error === '' ? undefined : JSON.parse(error),
        protocol: ws.protocol,
      });
    });
  });
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => {
        let parsed: unknown = body;
        try {
          parsed = JSON.parse(body);
        } catch {}
        reject(new UpgradeRefused(res.statusCode ?? 0, parsed));
      });
    });
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        protocol: ws.protocol,
        write: (data) => ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(data)])),
        resize: (width, height) =>
          ws.send(
            Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: width, Height: height }))]),
          ),
        closeStdin: () => ws.send(Buffer.from([255, 0])),
        hangUp: () => ws.close(),
        output: () => ({ stdout: text(out.stdout), stderr: text(out.stderr) }),
        done,
      }),
    );
  });
}
