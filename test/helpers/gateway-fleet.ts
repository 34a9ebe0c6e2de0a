// A hub process and N real gateways on one L2 segment, each a network namespace with its own
// containerd and a `flotilla agent` process inside it (test/helpers/netns-agent.ts), waited on
// until every Node is Ready with its pod CIDR. For multi-gateway e2e tests.
import { rmSync } from 'node:fs';
import { eventually } from './eventually.js';
import { type HubProcess, startHubProcess } from './hub-process.js';
import { Kubectl } from './kubectl.js';
import { type NetnsAgent, startNetnsAgent } from './netns-agent.js';
import {
  type GatewayPlatform,
  startTestGatewayRuntime,
  type TestGatewayRuntime,
} from './test-gateway-runtime.js';

export interface GatewayFleet {
  hub: HubProcess;
  kubectl: Kubectl;
  nodes: string[];
  gateways: TestGatewayRuntime[];
  agents: NetnsAgent[];
  /** Every agent's output, for failure messages. */
  agentOutput(): string;
  teardown(): Promise<void>;
}

export interface GatewayFleetOptions {
  /** Gateways emulating another architecture, by node name (test/helpers/arm64-gateway.ts). */
  platforms?: Record<string, GatewayPlatform>;
  /** Node flags every agent starts with (the benchmarks: the systemd unit's). */
  nodeFlags?: string[];
}

export async function startGatewayFleet(
  nodes: string[],
  agentArgs: string[] = [],
  { platforms = {}, nodeFlags = [] }: GatewayFleetOptions = {},
): Promise<GatewayFleet> {
  const hub = await startHubProcess(undefined, ['--bind', '0.0.0.0']);
  const fleet: GatewayFleet = {
    hub,
    kubectl: new Kubectl(hub.kubeconfig),
    nodes,
    gateways: [],
    agents: [],
    agentOutput: () => fleet.agents.map((a) => `--- ${a.node}\n${a.output()}`).join('\n'),
    teardown: async () => {
      for (const agent of fleet.agents) await agent.remove().catch(() => {});
      for (const gw of fleet.gateways) await gw.teardown().catch(() => {});
      await hub.stop();
      rmSync(hub.dataDir, { recursive: true, force: true });
    },
  };
  try {
    for (const node of nodes) {
      const gw = await startTestGatewayRuntime(node, undefined, platforms[node]);
      fleet.gateways.push(gw);
      fleet.agents.push(await startNetnsAgent(hub, gw, node, { extraArgs: agentArgs, nodeFlags }));
    }
    await eventually(
      async () => {
        const list = JSON.parse(await fleet.kubectl.ok(['get', 'nodes', '-o', 'json']));
        const ready = list.items.filter(
          (n: any) =>
            n.spec.podCIDR &&
            n.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
        );
        return ready.length === nodes.length;
      },
      // An agent under emulation spends 15 s or more of CPU loading before it joins.
      { timeoutMs: Object.keys(platforms).length > 0 ? 300_000 : 40_000, intervalMs: 250 },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${fleet.agentOutput()}`);
    });
    return fleet;
  } catch (err) {
    await fleet.teardown();
    throw err;
  }
}

/** A busybox httpd pod answering GET / with its own name, bound by hand to `node`. */
export function httpBackendPod(name: string, node: string, image: string, labels = 'app: web'): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, labels: {${labels}}}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers:
    - name: web
      image: ${image}
      command: [sh, -c, 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www']
      ports: [{containerPort: 8080, name: http}]
      readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
`;
}
