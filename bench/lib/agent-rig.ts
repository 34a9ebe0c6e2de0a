// A gateway to benchmark the agent on: the hub process, a test gateway runtime (containerd in
// its own netns, busybox and pause images imported) and the `flotilla agent` process started as
// a user starts it, its MQTT connection through a byte-counting TCP proxy that can also cut the
// link. Shared by the agent benchmark and the agent soak. Needs root and the real-runtime
// prerequisites of the e2e tests.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerdPaths } from '../../edge-agent/runtime/containerd-config.js';
import { captureLogger } from '../../test/helpers/capture-logger.js';
import { eventually } from '../../test/helpers/eventually.js';
import { exited, type HubProcess, runFlotilla, startHubProcess } from '../../test/helpers/hub-process.js';
import {
  missingRuntimePrerequisite,
  startTestGatewayRuntime,
  type TestGatewayRuntime,
} from '../../test/helpers/test-gateway-runtime.js';
import { type ApiClient, createApiClient, podsPath } from './agent-api.js';
import { type CountingProxy, startCountingProxy } from './counting-proxy.js';

export const rigNodeName = 'gw-bench-1';

export interface AgentProcess {
  pid: number;
  output: () => string;
  stop(): Promise<void>;
}

export interface AgentRig {
  hub: HubProcess;
  gw: TestGatewayRuntime;
  proxy: CountingProxy;
  api: ApiClient;
  agent: AgentProcess;
  /** Stops the agent and starts another on the same data dir (pods are adopted), with `agentArgs`. */
  restartAgent(agentArgs: string[]): Promise<AgentProcess>;
  stop(): Promise<void>;
}

export interface AgentRigOptions {
  /** Extra `flotilla agent` flags (e.g. `--metrics-bind off`). */
  agentArgs?: string[];
  /** Node flags put before the script, as a service unit would (none: `flotilla agent` as shipped). */
  nodeFlags?: string[];
}

/** A busybox `sleep 3600` pod; extra container fields (probes) merged in. */
export function benchPod(name: string, image: string, container: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'agent-bench' } },
    spec: {
      // busybox sleep as PID 1 ignores SIGTERM: a short grace keeps deletes quick.
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image, command: ['sleep', '3600'], ...container }],
    },
  };
}

function startAgent(
  mqttUrl: string,
  hub: HubProcess,
  gw: TestGatewayRuntime,
  dataDir: string,
  options: AgentRigOptions,
): AgentProcess {
  const child: ChildProcess = runFlotilla(
    [
      'agent',
      ...['--hub', mqttUrl, '--token', hub.nodeToken, '--node-name', rigNodeName, '--data-dir', dataDir],
      ...['--runtime-endpoint', gw.containerd.endpoint, '--pause-image', gw.pauseImage],
      // Pod IPs from the Node's podCIDR: the hub refuses pod IPs outside it.
      ...['--cni-conf-dir', containerdPaths(gw.dataDir).cniConfDir],
      ...(options.agentArgs ?? []),
    ],
    { nodeFlags: options.nodeFlags },
  );
  let out = '';
  const append = (d: Buffer) => {
    // The last 64 KiB are enough to explain a failure; a soak must not grow the bench's memory.
    out = (out + d.toString()).slice(-65_536);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  return {
    pid: child.pid!,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(killer);
    },
  };
}

async function waitNodeReady(api: ApiClient): Promise<void> {
  await eventually(
    async () => {
      const reply = await api.request('GET', `/api/v1/nodes/${rigNodeName}`);
      if (reply.status !== 200) return false;
      const node = JSON.parse(reply.body) as { status?: { conditions?: { type: string; status: string }[] } };
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

export async function waitGone(api: ApiClient, name: string): Promise<void> {
  await eventually(async () => (await api.request('GET', `${podsPath}/${name}`)).status === 404, {
    timeoutMs: 60_000,
    intervalMs: 50,
  });
}

/** Names of the bench pods in a phase. */
export async function podsIn(api: ApiClient, phase: string): Promise<string[]> {
  const reply = await api.request('GET', `${podsPath}?labelSelector=app%3Dagent-bench`);
  const list = JSON.parse(reply.body) as {
    items: { metadata: { name: string }; status?: { phase?: string } }[];
  };
  return list.items.filter((p) => p.status?.phase === phase).map((p) => p.metadata.name);
}

/** Hub, gateway runtime, proxy and agent, the node Ready; stop() undoes all of it. */
export async function startAgentRig(
  log: (l: string) => void,
  options: AgentRigOptions = {},
): Promise<AgentRig> {
  const missing = missingRuntimePrerequisite();
  if (missing) throw new Error(`the agent benchmarks need a real runtime host: ${missing}`);
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((err: unknown) => log(`cleanup: ${String(err)}`));
    }
  };
  try {
    const hub = await startHubProcess();
    cleanups.push(async () => {
      await hub.stop();
      rmSync(hub.dataDir, { recursive: true, force: true });
    });
    // A name of this run's own: a fixed one made a second benchmark (an agent-soak beside an
    // agent run) remove the first one's gateway namespace as a leftover.
    const gw = await startTestGatewayRuntime(`bgw${process.pid.toString(36)}`, captureLogger(log));
    cleanups.push(() => gw.teardown());
    const proxy = await startCountingProxy(new URL(hub.mqttUrl));
    cleanups.push(() => proxy.close());
    const agentDir = mkdtempSync(join(tmpdir(), 'flotilla-bench-agent-'));
    cleanups.push(async () => rmSync(agentDir, { recursive: true, force: true }));
    let agent = startAgent(proxy.url, hub, gw, agentDir, options);
    cleanups.push(() => agent.stop());
    const api = createApiClient(
      hub.apiUrl,
      readFileSync(join(hub.dataDir, 'pki', 'ca.crt'), 'utf8'),
      hub.token,
    );
    cleanups.push(async () => api.close());
    await waitNodeReady(api).catch((err: Error) => {
      throw new Error(`${err.message}\nagent output:\n${agent.output()}`);
    });
    const rig: AgentRig = {
      hub,
      gw,
      proxy,
      api,
      agent,
      restartAgent: async (agentArgs) => {
        await agent.stop();
        agent = startAgent(proxy.url, hub, gw, agentDir, { ...options, agentArgs });
        rig.agent = agent;
        await waitNodeReady(api);
        return agent;
      },
      stop,
    };
    return rig;
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The node flags of the agent's systemd unit (deploy/systemd/flotilla-agent.service), which the
 * benchmarks start the agent with: they measure what a gateway installed from the unit runs.
 */
export function shippedAgentNodeFlags(repoRoot: string): string[] {
  const unit = readFileSync(join(repoRoot, 'deploy', 'systemd', 'flotilla-agent.service'), 'utf8');
  const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1];
  if (!execStart) throw new Error('deploy/systemd/flotilla-agent.service has no ExecStart line');
  const words = execStart.trim().split(/\s+/);
  const script = words.findIndex((word) => word.endsWith('/flotilla.js'));
  if (script < 1) throw new Error(`cannot find the node flags in ExecStart=${execStart}`);
  return words.slice(1, script);
}

/** `--agent-node-flags`: "unit" (default) for the unit's, "none", or the flags themselves. */
export function agentNodeFlagsFrom(flag: string | undefined, repoRoot: string): string[] {
  if (flag === undefined || flag === 'unit') return shippedAgentNodeFlags(repoRoot);
  if (flag === 'none') return [];
  return flag.split(/\s+/).filter(Boolean);
}
