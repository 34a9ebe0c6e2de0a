// The baseline server (bench/bare-server.ts) in a child process, serving bodies captured from
// the hub over HTTPS with the hub's own serving certificate and key (same curve, same chain,
// same handshake and record cost), and over plain HTTP to show what TLS itself costs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from './child-server.js';

export interface BareFixtures {
  /** The body of GET on one pod. */
  pod: Buffer;
  /** LIST bodies by namespace. */
  lists: Map<string, Buffer>;
}

export interface TlsKeyPair {
  certPem: string;
  keyPem: string;
}

export interface BareProcess {
  httpsUrl: string;
  httpUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startBareProcess(
  repoRoot: string,
  fixtures: BareFixtures,
  tls: TlsKeyPair,
  profileDir: string | undefined,
): Promise<BareProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-bare-'));
  try {
    writeFileSync(join(dir, 'cert.pem'), tls.certPem);
    writeFileSync(join(dir, 'key.pem'), tls.keyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'pod.json'), fixtures.pod);
    for (const [namespace, body] of fixtures.lists) writeFileSync(join(dir, `list-${namespace}.json`), body);
    const profileArgs = profileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-name=bare.cpuprofile']
      : [];
    const child = await startChildServer({
      args: [...profileArgs, '--import', 'tsx', join('bench', 'bare-server.ts'), dir],
      cwd: repoRoot,
      readyLine: /bare server on (https:\S+) and (http:\S+)/,
      readyTimeoutMs: 30_000,
      label: 'bare',
    });
    return {
      httpsUrl: child.match[1]!,
      httpUrl: child.match[2]!,
      pid: child.pid,
      stop: async () => {
        await child.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
