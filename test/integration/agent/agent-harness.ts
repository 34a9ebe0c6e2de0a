// An in-process hub on a fixed MQTT port (so it can be stopped and started again on the same
// data dir and address) and edge agents with a fake runtime and a fake pod manager, plus a
// hub-role MQTT observer that sees what agents publish, in arrival order.
import { readFileSync, rmSync } from 'node:fs';
import { connectAsync, type MqttClient } from 'mqtt';
import { hubClientPrefix, hubUsername } from '../../../api/mqtt/credentials.js';
import { routeList } from '../../../api/mqtt/route-table.js';
import { type RunningAgent, startAgent } from '../../../edge-agent/agent.js';
import type { AgentOptions } from '../../../edge-agent/agent-options.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { loadBrokerTokens } from '../../../hub/broker/broker-tokens.js';
import { namespaceDefaultControllers } from '../../../hub/controllers/controller-manager.js';
import { type Hub, startHub } from '../../../hub/main.js';
import { ApiClient } from '../../helpers/api-client.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { freePort } from '../../helpers/free-port.js';
import { tempDir } from '../../helpers/hub-process.js';
import { FakePodManager } from './fake-pod-manager.js';

export interface HubUnderTest {
  hub: Hub;
  api: ApiClient;
  dataDir: string;
  /** mqtts://127.0.0.1:<port>. */
  mqttUrl: string;
  /** The join string (DATA_DIR/node-token): the join token and the pin of the hub's CA. */
  token: string;
  logs: string[];
}

// Other harnesses import it from here.
export { freePort };

export async function startHubUnderTest(
  dataDir = tempDir('agent-hub'),
  mqttPort?: number,
): Promise<HubUnderTest> {
  const logs: string[] = [];
  const hub = await startHub({
    dataDir,
    bind: '127.0.0.1',
    apiPort: 0,
    serviceCIDR: '10.43.0.0/16',
    nodePortRange: '30000-32767',
    mqttPort: mqttPort ?? (await freePort()),
    syncCoalesceMs: 20,
    controllers: { only: ['namespace', ...namespaceDefaultControllers] },
    log: captureLogger(logs),
  });
  return {
    hub,
    api: new ApiClient(hub.apiUrl, hub.caPem, hub.adminToken),
    dataDir,
    mqttUrl: hub.mqtt.mqttUrl,
    token: readFileSync(`${dataDir}/node-token`, 'utf8').trim(),
    logs,
  };
}

export interface AgentUnderTest {
  agent: RunningAgent;
  runtime: FakeRuntime;
  /** The fake pod manager (undefined with `realPods`). */
  pods: FakePodManager;
  dataDir: string;
  logs: string[];
}

/** Short timings so tests see heartbeats, status checks and reconnects in well under a second. */
export const fastTiming = {
  heartbeatMs: 200,
  statusCheckMs: 500,
  reconnect: { initialMs: 100, maxMs: 400, jitter: 0 },
};

export async function startAgentUnderTest(
  hub: Pick<HubUnderTest, 'mqttUrl' | 'token'>,
  nodeName: string,
  overrides: Partial<AgentOptions> & {
    dataDir?: string;
    runtime?: never;
    fakeRuntime?: FakeRuntime;
    /** Run the real pod manager of edge-agent/pods instead of FakePodManager. */
    realPods?: boolean;
  } = {},
): Promise<AgentUnderTest> {
  const {
    dataDir = tempDir(`agent-${nodeName}`),
    fakeRuntime = new FakeRuntime(),
    realPods = false,
    ...options
  } = overrides;
  const logs: string[] = [];
  let pods: FakePodManager | undefined;
  const agent = await startAgent({
    hubUrl: hub.mqttUrl,
    token: hub.token,
    nodeName,
    dataDir,
    runtime: { kind: 'instance', runtime: fakeRuntime },
    timing: fastTiming,
    outboxWrites: { debounceMs: 20, minIntervalMs: 50 },
    log: captureLogger(logs),
    ...options,
    ...(realPods
      ? {}
      : {
          podManager: (deps) => {
            pods = new FakePodManager(deps);
            return pods;
          },
        }),
  });
  return { agent, runtime: fakeRuntime, pods: pods!, dataDir, logs };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A hub-role client recording every agent → hub message of `node`, in arrival order. */
export async function observeAgent(
  hub: HubUnderTest,
  node: string,
): Promise<{ client: MqttClient; messages: Array<{ route: string; payload: any }> }> {
  const messages: Array<{ route: string; payload: any }> = [];
  const client = await connectAsync(hub.mqttUrl, {
    protocolVersion: 4,
    clientId: `${hubClientPrefix}observer-${node}`,
    username: hubUsername,
    password: loadBrokerTokens(hub.dataDir).hub,
    reconnectPeriod: 0,
    ca: hub.hub.caPem,
  });
  client.on('message', (topic, payload) => {
    const route = topic.slice(`flotilla/v1/nodes/${node}/`.length);
    messages.push({ route, payload: payload.byteLength > 0 ? JSON.parse(payload.toString()) : undefined });
  });
  const filters = routeList
    .filter((route) => route.direction === 'agent-to-hub')
    .map((route) =>
      route.compiled.levels
        .map((level) => ('literal' in level ? level.literal : level.param === 'node' ? node : '+'))
        .join('/'),
    );
  await client.subscribeAsync(filters, { qos: 1 });
  return { client, messages };
}
