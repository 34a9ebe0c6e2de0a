// The hub under test, started from the build (dist/) the way an operator runs it, in a fresh
// data directory that is removed afterwards.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubNodeFlags } from '../../cli/hub-heap.js';
import { startChildServer } from './child-server.js';

export interface HubProcess {
  apiUrl: string;
  /** The embedded broker over TLS, mqtts://127.0.0.1:PORT. */
  mqttUrl: string;
  /** What gateways are given (DATA_DIR/node-token): `<token>::sha256:<CA hash>`. */
  joinString: string;
  token: string;
  caPem: string;
  /** The hub's own serving key pair, which the bare server reuses so both do the same TLS work. */
  serving: { certPem: string; keyPem: string };
  /** The current hub process (a new one after restart). */
  readonly pid: number;
  /** kill -9, then the hub again on the same data directory and ports. */
  killAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

export interface HubProcessOptions {
  /** More hub flags, e.g. a larger --cluster-cidr for a big fleet. */
  extraArgs?: string[];
  /** How long SIGTERM may take before SIGKILL (a profile is written only on a clean exit). */
  stopTimeoutMs?: number;
  /** File name of the CPU profile in profileDir (default hub.cpuprofile). */
  profileName?: string;
}

/** The built command line (`npm run build` writes it). */
export function flotillaEntry(repoRoot: string): string {
  return join(repoRoot, 'dist', 'cli', 'flotilla.js');
}

export async function startHubProcess(
  repoRoot: string,
  profileDir: string | undefined,
  options: HubProcessOptions = {},
): Promise<HubProcess> {
  const entry = flotillaEntry(repoRoot);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm run bench does)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'flotilla-bench-hub-'));
  const profileArgs = profileDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${profileDir}`,
        `--cpu-prof-name=${options.profileName ?? 'hub.cpuprofile'}`,
      ]
    : [];
  const launch = (apiPort: string, mqttPort: string) =>
    startChildServer({
      args: [
        // The hub's heap flags given here, as it would add them itself: then the hub runs in the
        // process started here, the one whose CPU and memory are measured and that kill -9 hits.
        ...hubNodeFlags,
        ...profileArgs,
        entry,
        'hub',
        '--data-dir',
        dataDir,
        '--bind',
        '127.0.0.1',
        '--api-port',
        apiPort,
        '--mqtt-port',
        mqttPort,
        // The API server alone is measured: no local gateway (and its containerd) beside it.
        '--local-agent',
        'off',
        ...(options.extraArgs ?? []),
      ],
      cwd: repoRoot,
      // The broker starts before the API server, and both lines go to stdout.
      readyLine: /MQTT broker on (mqtts:\/\/\S+)[\s\S]*API server on (https:\/\/[^\s)]+)/,
      readyTimeoutMs: 60_000,
      label: 'hub',
      ...(options.stopTimeoutMs ? { stopTimeoutMs: options.stopTimeoutMs } : {}),
    });
  try {
    let child = await launch('0', '0');
    const apiUrl = child.match[2]!;
    const mqttUrl = child.match[1]!;
    return {
      apiUrl,
      mqttUrl,
      joinString: readFileSync(join(dataDir, 'node-token'), 'utf8').trim(),
      token: readFileSync(join(dataDir, 'tokens', 'admin'), 'utf8').trim(),
      caPem: readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'),
      serving: {
        certPem: readFileSync(join(dataDir, 'pki', 'apiserver.crt'), 'utf8'),
        keyPem: readFileSync(join(dataDir, 'pki', 'apiserver.key'), 'utf8'),
      },
      get pid() {
        return child.pid;
      },
      killAndRestart: async () => {
        await child.kill();
        child = await launch(new URL(apiUrl).port, new URL(mqttUrl).port);
      },
      stop: async () => {
        await child.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
