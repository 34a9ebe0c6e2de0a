// A `flotilla agent` process inside an emulated gateway's network namespace, as it runs on a
// real gateway: its routes, iptables and DNS address are the gateway's, it reaches the hub over
// the host bridge (the hub must listen on 0.0.0.0), and it drives the gateway's containerd with
// the pod network the hub assigned (its conflist replaces the test runtime's own). On an emulated
// gateway of another architecture (gw.platform) it runs on that architecture's Node.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { containerdPaths } from '../../edge-agent/runtime/containerd-config.js';
import { searchPath } from '../../edge-agent/runtime/find-executable.js';
import { exited, flotillaBin, type HubProcess } from './hub-process.js';
import type { TestGatewayRuntime } from './test-gateway-runtime.js';

/** The host's address on the gateways' bridge (test/helpers/gateway-netns.ts). */
export const hubAddressFromGateways = '172.31.0.1';

export interface NetnsAgent {
  node: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait: pods keep running. */
  stop(): Promise<void>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
  /** A new agent process on the same data dir (after stop or kill). */
  restart(): Promise<NetnsAgent>;
  /** Stops the agent if running and removes its data dir. */
  remove(): Promise<void>;
}

export interface NetnsAgentOptions {
  extraArgs?: string[];
  /** Node's own flags before the script, as the service unit gives them (e.g. `--lite-mode`). */
  nodeFlags?: string[];
  /** Reuse a data dir (agent restart). */
  dataDir?: string;
}

function mqttPort(hub: HubProcess): string {
  const port = new URL(hub.mqttUrl).port;
  if (!port) throw new Error(`hub MQTT URL has no port: ${hub.mqttUrl}`);
  return port;
}

export async function startNetnsAgent(
  hub: HubProcess,
  gw: TestGatewayRuntime,
  node: string,
  options: NetnsAgentOptions = {},
): Promise<NetnsAgent> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), `flotilla-agent-${node}-`)));
  // Paths as a user types them, relative to the agent's working directory: the CLI resolves them.
  const cwd = dirname(dataDir);
  const args = [
    `--net=${gw.gateway.netnsPath}`,
    gw.platform?.nodeBinary ?? process.execPath,
    ...(options.nodeFlags ?? []),
    flotillaBin,
    'agent',
    '--hub',
    `mqtts://${hubAddressFromGateways}:${mqttPort(hub)}`,
    '--token',
    hub.nodeToken,
    '--node-name',
    node,
    '--data-dir',
    `./${basename(dataDir)}`,
    '--runtime-endpoint',
    gw.containerd.endpoint,
    '--cni-conf-dir',
    relative(cwd, containerdPaths(gw.dataDir).cniConfDir),
    '--pause-image',
    gw.pauseImage,
    ...(options.extraArgs ?? []),
  ];
  // nsenter execs node in place, so the child's pid is the agent's: signals reach it directly.
  // An emulated gateway's agent finds the gateway's own programs (its ctr) first.
  const env = gw.platform
    ? { ...process.env, PATH: [gw.platform.binDir, ...searchPath()].join(':') }
    : process.env;
  const child = spawn('nsenter', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const agent: NetnsAgent = {
    node,
    dataDir,
    child,
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    restart: async () => {
      if (child.exitCode === null && child.signalCode === null) await agent.stop();
      return startNetnsAgent(hub, gw, node, { ...options, dataDir });
    },
    remove: async () => {
      if (child.exitCode === null && child.signalCode === null) await agent.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return agent;
}
