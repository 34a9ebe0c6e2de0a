// Runs the real `flotilla hub` binary (the built dist/cli/flotilla.js) as a child process.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hubNodeFlags } from '../../cli/hub-heap.js';
import { HOST_BRIDGE_ADDRESS } from './gateway-netns.js';

export const flotillaBin = resolve(import.meta.dirname, '../../dist/cli/flotilla.js');

export interface HubProcess {
  child: ChildProcess;
  dataDir: string;
  apiUrl: string;
  /** The embedded broker over TLS, e.g. mqtts://127.0.0.1:PORT. */
  mqttUrl: string;
  /** The join string gateways are given: `<token>::sha256:<CA hash>`. */
  nodeToken: string;
  kubeconfig: string;
  token: string;
  output: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `flotilla-${prefix}-`));
}

export interface RunOptions {
  /**
   * A hub gets its heap flags unless this is false, so it runs in the one process a test signals
   * rather than relaunching itself as a user's `flotilla hub` does (test/e2e/hub-relaunch.test.ts).
   */
  heapFlags?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** `flotilla ARGS`. */
export function runFlotilla(args: string[], options: RunOptions = {}): ChildProcess {
  if (!existsSync(flotillaBin)) throw new Error(`${flotillaBin} is missing: run "npm run build" first`);
  const nodeFlags = args[0] === 'hub' && options.heapFlags !== false ? hubNodeFlags : [];
  return spawn(process.execPath, [...nodeFlags, flotillaBin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.env ? { env: options.env } : {}),
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function startHubProcess(
  dataDir = tempDir('hub'),
  extraArgs: string[] = [],
  options: RunOptions = {},
): Promise<HubProcess> {
  const child = runFlotilla(
    [
      'hub',
      '--data-dir',
      dataDir,
      '--bind',
      '127.0.0.1',
      '--api-port',
      '0',
      '--mqtt-port',
      '0',
      // Gateways in network namespaces dial the host bridge's address, which may not exist yet
      // when the hub issues its certificates (test/helpers/gateway-netns.ts).
      '--tls-san',
      HOST_BRIDGE_ADDRESS,
      // Tests start their gateways themselves; `--local-agent on` in extraArgs overrides this.
      '--local-agent',
      'off',
      ...extraArgs,
    ],
    options,
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const apiUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start within 20 s:\n${out}`)), 20_000);
    const onData = () => {
      const match = /API server on (https:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before starting:\n${out}`));
    });
  });
  const kubeconfig = join(dataDir, 'admin.kubeconfig');
  return {
    child,
    dataDir,
    apiUrl,
    mqttUrl: /MQTT broker on (mqtts:\/\/\S+)/.exec(out)?.[1] ?? '',
    nodeToken: readFileSync(join(dataDir, 'node-token'), 'utf8').trim(),
    kubeconfig,
    token: readFileSync(join(dataDir, 'tokens', 'admin'), 'utf8').trim(),
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      return exited(child);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}
