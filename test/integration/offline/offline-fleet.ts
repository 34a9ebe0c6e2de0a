// A hub and in-process gateways (real agent and pod manager, FakeRuntime), each behind its own
// LinkCutter so a test can take one gateway's uplink away while the hub and the others run on.
// The hub's embedded broker sits on a fixed port, so the hub itself can also be stopped and
// started again while the gateways wait.
import { type RunningAgent, startAgent } from '../../../edge-agent/agent.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import type { TestObject } from '../../helpers/builders.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { tempDir } from '../../helpers/hub-process.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { freePort, removeDir } from '../agent/agent-harness.js';
import { LinkCutter } from './link-cutter.js';

const timing = {
  heartbeatMs: 200,
  statusCheckMs: 500,
  reconnect: { initialMs: 100, maxMs: 300, jitter: 0 },
};

export const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export interface Gateway {
  name: string;
  runtime: FakeRuntime;
  link: LinkCutter;
  agent: RunningAgent;
  dataDir: string;
  logs: string[];
}

export class OfflineFleet {
  readonly gateways = new Map<string, Gateway>();

  private constructor(
    public hub: TestHub,
    private readonly mqttPort: number,
    readonly hubLogs: string[],
  ) {}

  static async start(controllers: string[]): Promise<OfflineFleet> {
    const mqttPort = await freePort();
    const logs: string[] = [];
    const hub = await startTestHub(tempDir('offline-hub'), {
      mqttPort,
      controllers,
      log: captureLogger(logs),
    });
    return new OfflineFleet(hub, mqttPort, logs);
  }

  get api() {
    return this.hub.api;
  }

  gateway(name: string): Gateway {
    const found = this.gateways.get(name);
    if (!found) throw new Error(`no gateway ${name}`);
    return found;
  }

  async startGateway(name: string): Promise<Gateway> {
    const index = this.gateways.size + 1;
    const runtime = new FakeRuntime({ podCidr: `10.88.${index}.0/24` });
    const link = await LinkCutter.start(this.mqttPort);
    const dataDir = tempDir(`offline-${name}`);
    const logs: string[] = [];
    const agent = await startAgent({
      hubUrl: link.url,
      token: this.hub.hub.mqtt.joinString,
      nodeName: name,
      dataDir,
      runtime: { kind: 'instance', runtime },
      timing,
      outboxWrites: { debounceMs: 20, minIntervalMs: 50 },
      log: captureLogger(logs),
    });
    const gateway = { name, runtime, link, agent, dataDir, logs };
    this.gateways.set(name, gateway);
    return gateway;
  }

  /** Stops the hub and starts it again on the same data dir and broker port. */
  async stopHub(): Promise<() => Promise<void>> {
    await this.hub.hub.stop();
    return async () => {
      this.hub = await this.hub.restart();
    };
  }

  async close(): Promise<void> {
    for (const gw of this.gateways.values()) {
      await gw.agent.stop();
      await gw.link.close();
      await gw.runtime.close();
      removeDir(gw.dataDir);
    }
    await this.hub.close();
  }

  // ---- reading the cluster and the gateways ----------------------------------------------

  async get(path: string): Promise<TestObject | undefined> {
    const res = await this.api.get(path);
    return res.status === 200 ? res.json() : undefined;
  }

  pod(name: string): Promise<TestObject | undefined> {
    return this.get(`/api/v1/namespaces/default/pods/${name}`);
  }

  node(name: string): Promise<TestObject | undefined> {
    return this.get(`/api/v1/nodes/${name}`);
  }

  /** `kubectl get`'s server-side Table: column names and the cells of each row by name. */
  async table(path: string): Promise<{ columns: string[]; rows: Map<string, unknown[]> }> {
    const res = await this.api.send('GET', path, undefined, { Accept: tableAccept });
    if (res.status !== 200) throw new Error(`GET ${path} as Table: ${res.status} ${res.text}`);
    const table = res.json();
    return {
      columns: table.columnDefinitions.map((c: { name: string }) => c.name),
      rows: new Map(table.rows.map((r: { cells: unknown[] }) => [r.cells[0], r.cells])),
    };
  }

  /** Pod names with a READY sandbox on a gateway's runtime. */
  async runningOn(name: string): Promise<string[]> {
    const sandboxes = await this.gateway(name).runtime.listPodSandboxes();
    return sandboxes
      .filter((s) => s.state === 'READY')
      .map((s) => s.metadata.name)
      .sort();
  }
}

export function condition(obj: TestObject | undefined, type: string): Record<string, any> | undefined {
  return (obj?.status?.conditions ?? []).find((c: { type: string }) => c.type === type);
}
