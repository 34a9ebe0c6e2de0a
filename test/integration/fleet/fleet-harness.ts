// A simulated fleet in one process: a real hub (API server, embedded aedes over TLS on a fixed
// loopback port, nedb in a temp dir) and several edge agents, each with its own data dir, node name and
// in-memory FakeRuntime. The runtime belongs to the test, not to the agent, so it outlives an
// agent restart the way containerd's shims outlive a real agent.
import { connectAsync, type MqttClient } from 'mqtt';
import { agentConnectFields } from '../../../api/mqtt/agent-session.js';
import { type RunningAgent, startAgent } from '../../../edge-agent/agent.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { readNodeToken } from '../../../hub/broker/broker-tokens.js';
import { aPod, type TestObject } from '../../helpers/builders.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { freePort, removeDir } from '../agent/agent-harness.js';

/** Fast heartbeats, status checks and reconnects: the whole fleet settles in well under a second. */
export const fleetTiming = {
  heartbeatMs: 200,
  statusCheckMs: 500,
  reconnect: { initialMs: 100, maxMs: 400, jitter: 0.2 },
};

/** Every controller a fleet needs to look like a cluster, but not the scheduler: pods are bound by hand. */
const fleetControllers = ['namespace', 'node-ipam', 'node-lifecycle', 'taint-eviction', 'pod-gc'];

export interface FleetAgent {
  name: string;
  /** 1, 2, …: picks the gateway's pod subnet and site label. */
  index: number;
  dataDir: string;
  runtime: FakeRuntime;
  /** The pod subnet of this gateway's fake runtime (its pods' IPs come from it). */
  podCidr: string;
  agent: RunningAgent;
  logs: string[];
}

export class Fleet {
  readonly agents = new Map<string, FleetAgent>();
  private constructor(
    public hub: TestHub,
    readonly mqttPort: number,
    readonly hubLogs: string[],
  ) {}

  /** `controllers`: more controllers than the fleet's own (the scheduler, say). */
  static async start(controllers: string[] = []): Promise<Fleet> {
    // The hub listens on a port picked beforehand (a restart must find it again); another socket
    // can take that port in between, so a taken one is picked again, a few times at most.
    for (let attempt = 1; ; attempt++) {
      const mqttPort = await freePort();
      const logs: string[] = [];
      try {
        const hub = await startTestHub(tempDir('fleet-hub'), {
          mqttPort,
          controllers: [...fleetControllers, ...controllers],
          log: captureLogger(logs),
        });
        return new Fleet(hub, mqttPort, logs);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 3) throw err;
      }
    }
  }

  get mqttUrl(): string {
    return `mqtts://127.0.0.1:${this.mqttPort}`;
  }

  /** The hub's default bootstrap token (DIR/node-token), which every gateway here joins with. */
  get token(): string {
    return readNodeToken(this.hub.dataDir)!;
  }

  /** What a gateway is given: the join token and the pin of the hub's CA. */
  get joinString(): string {
    return this.hub.hub.mqtt.joinString;
  }

  /** The hub's CA, for raw MQTT clients. */
  get caPem(): string {
    return this.hub.hub.caPem;
  }

  get api() {
    return this.hub.api;
  }

  agent(name: string): FleetAgent {
    const found = this.agents.get(name);
    if (!found) throw new Error(`no agent ${name} in this fleet`);
    return found;
  }

  /**
   * Starts a gateway; with the name of a stopped one, again on its data dir and runtime. `site`:
   * its flotilla.io/site label (default one site per gateway).
   */
  async startAgent(name: string, token = this.joinString, site?: string): Promise<FleetAgent> {
    const previous = this.agents.get(name);
    const index = previous?.index ?? this.agents.size + 1;
    const podCidr = `10.88.${index}.0/24`;
    const runtime = previous?.runtime ?? new FakeRuntime({ podCidr });
    const dataDir = previous?.dataDir ?? tempDir(`fleet-${name}`);
    const logs = previous?.logs ?? [];
    const agent = await startAgent({
      hubUrl: this.mqttUrl,
      token,
      nodeName: name,
      dataDir,
      runtime: { kind: 'instance', runtime },
      nodeLabels: { 'flotilla.io/site': site ?? `site-${index}` },
      timing: fleetTiming,
      outboxWrites: { debounceMs: 20, minIntervalMs: 50 },
      log: captureLogger(logs),
    });
    const started = { name, index, dataDir, runtime, podCidr, agent, logs };
    this.agents.set(name, started);
    return started;
  }

  async restartHub(): Promise<void> {
    this.hub = await this.hub.restart();
  }

  async close(): Promise<void> {
    for (const gw of this.agents.values()) {
      await gw.agent.stop();
      await gw.runtime.close();
      removeDir(gw.dataDir);
    }
    await this.hub.close();
  }

  // ---- reading the cluster ---------------------------------------------------------------

  async node(name: string): Promise<TestObject | undefined> {
    const res = await this.api.get(`/api/v1/nodes/${name}`);
    return res.status === 200 ? res.json() : undefined;
  }

  async pod(name: string, namespace = 'default'): Promise<TestObject | undefined> {
    const res = await this.api.get(`/api/v1/namespaces/${namespace}/pods/${name}`);
    return res.status === 200 ? res.json() : undefined;
  }

  async lease(name: string): Promise<TestObject | undefined> {
    const res = await this.api.get(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`);
    return res.status === 200 ? res.json() : undefined;
  }

  /** Creates a pod bound by hand to `nodeName` (no scheduler runs). */
  async createPod(name: string, nodeName: string): Promise<TestObject> {
    const pod = aPod(name);
    pod.spec.nodeName = nodeName;
    pod.spec.containers[0].image = 'docker.io/library/busybox:1.36';
    const res = await this.api.post('/api/v1/namespaces/default/pods', pod);
    if (res.status !== 201) throw new Error(`pod ${name} not created: ${res.status} ${res.text}`);
    return res.json();
  }

  /** Waits until the pod's agent reports it Running with every container ready. */
  runningPod(name: string): Promise<TestObject> {
    return eventually(
      async () => {
        const pod = await this.pod(name);
        return pod?.status?.phase === 'Running' && condition(pod, 'Ready')?.status === 'True' && pod;
      },
      { timeoutMs: 10_000 },
    ) as Promise<TestObject>;
  }
}

export function condition(obj: TestObject, type: string): Record<string, any> | undefined {
  return (obj.status?.conditions ?? []).find((c: { type: string }) => c.type === type);
}

/** When the agent observed the pod status the hub holds. */
export function observedAt(pod: TestObject): number {
  return Date.parse(condition(pod, 'flotilla.io/StatusObserved')?.lastProbeTime);
}

/** Pod name → ids of its containers, from a gateway's runtime. */
export async function containersByPod(runtime: FakeRuntime): Promise<Record<string, string[]>> {
  const sandboxes = new Map((await runtime.listPodSandboxes()).map((s) => [s.id, s.metadata.name]));
  const byPod: Record<string, string[]> = {};
  for (const c of await runtime.listContainers()) {
    if (c.state !== 'RUNNING') continue;
    const pod = sandboxes.get(c.podSandboxId) ?? '?';
    byPod[pod] = [...(byPod[pod] ?? []), c.id].sort();
  }
  return byPod;
}

/** A raw MQTT 3.1.1 client connecting the way a gateway does (persistent session off), over TLS. */
export function connectAsGateway(
  fleet: Pick<Fleet, 'mqttUrl' | 'caPem'>,
  node: string,
  token: string | undefined,
  nodeKey: string,
): Promise<MqttClient> {
  return connectAsync(fleet.mqttUrl, {
    ...agentConnectFields(node, token, nodeKey),
    clean: true,
    reconnectPeriod: 0,
    ca: fleet.caPem,
  });
}
