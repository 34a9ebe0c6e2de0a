// A hub process and one real gateway (netns + containerd + agent process in the netns) for the
// offline-autonomy chaos tests, with the views they compare: the runtime's own (what runs on
// the gateway, readable while the hub is down) and the hub's.
import { rmSync } from 'node:fs';
import type { ContainerStatus, SandboxStatus } from '../../../edge-agent/runtime/container-runtime.js';
import { type HubProcess, startHubProcess } from '../../helpers/hub-process.js';
import { Kubectl } from '../../helpers/kubectl.js';
import { type NetnsAgent, startNetnsAgent } from '../../helpers/netns-agent.js';
import { startTestGatewayRuntime, type TestGatewayRuntime } from '../../helpers/test-gateway-runtime.js';

export interface RunningPod {
  name: string;
  uid: string;
  sandboxId: string;
  containers: ContainerStatus[];
}

export class GatewayChaosHarness {
  hub!: HubProcess;
  gw!: TestGatewayRuntime;
  agent!: NetnsAgent;
  kubectl!: Kubectl;
  private hubArgs: string[] = [];

  constructor(readonly node: string) {}

  async start(): Promise<void> {
    this.hub = await startHubProcess(undefined, ['--bind', '0.0.0.0']);
    // Restarts reuse the ports: agents reconnect to the same address, kubectl keeps its config.
    this.hubArgs = [
      '--bind',
      '0.0.0.0',
      '--api-port',
      new URL(this.hub.apiUrl).port,
      '--mqtt-port',
      new URL(this.hub.mqttUrl).port,
    ];
    this.kubectl = new Kubectl(this.hub.kubeconfig);
    this.gw = await startTestGatewayRuntime(this.node);
    this.agent = await startNetnsAgent(this.hub, this.gw, this.node);
  }

  async restartHub(): Promise<void> {
    this.hub = await startHubProcess(this.hub.dataDir, this.hubArgs);
  }

  async stop(): Promise<void> {
    await this.agent?.remove().catch(() => {});
    await this.gw?.teardown().catch(() => {});
    if (this.hub) {
      if (this.hub.child.exitCode === null && this.hub.child.signalCode === null) await this.hub.stop();
      rmSync(this.hub.dataDir, { recursive: true, force: true });
    }
  }

  /** Pods running on the gateway by the runtime's account: a READY sandbox, every container RUNNING. */
  async runningPods(): Promise<Map<string, RunningPod>> {
    const sandboxes: SandboxStatus[] = await this.gw.cri.listPodSandboxes();
    const containers = await this.gw.cri.listContainers();
    const pods = new Map<string, RunningPod>();
    for (const sandbox of sandboxes) {
      if (sandbox.state !== 'READY') continue;
      const own = containers.filter((c) => c.podSandboxId === sandbox.id && c.state !== 'EXITED');
      if (own.length === 0 || own.some((c) => c.state !== 'RUNNING')) continue;
      pods.set(sandbox.metadata.name, {
        name: sandbox.metadata.name,
        uid: sandbox.metadata.uid,
        sandboxId: sandbox.id,
        containers: own,
      });
    }
    return pods;
  }

  /** The hub's view: name → {uid, phase, ready, restarts}. */
  async podsAtHub(): Promise<Map<string, { uid: string; phase: string; ready: boolean; restarts: number }>> {
    const list = JSON.parse(await this.kubectl.ok(['get', 'pods', '-o', 'json']));
    const out = new Map<string, { uid: string; phase: string; ready: boolean; restarts: number }>();
    for (const p of list.items) {
      out.set(p.metadata.name, {
        uid: p.metadata.uid,
        phase: p.status?.phase ?? '',
        ready: (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
        restarts: (p.status?.containerStatuses ?? []).reduce(
          (n: number, c: any) => n + (c.restartCount ?? 0),
          0,
        ),
      });
    }
    return out;
  }
}

/** Container ids by pod name: equal before and after means nothing was restarted or recreated. */
export function containerIds(pods: Map<string, RunningPod>): Map<string, string[]> {
  return new Map([...pods].map(([name, pod]) => [name, pod.containers.map((c) => c.id).sort()]));
}
