// A real hub in process with its MQTT side (TLS, and wss) on loopback port 0, and fake gateways and dashboards
// that are real mqtt.js clients speaking the protocol from api/mqtt.
import { randomBytes } from 'node:crypto';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { agentConnectFields } from '../../../api/mqtt/agent-session.js';
import { encodePayload } from '../../../api/mqtt/codec.js';
import { dashboardUsername } from '../../../api/mqtt/credentials.js';
import { payloadExamples } from '../../../api/mqtt/payload-examples.js';
import type { NodeRegistration } from '../../../api/mqtt/payloads/node-registration.js';
import { buildTopic, type Route } from '../../../api/mqtt/route-table.js';
import { type BrokerTokens, loadBrokerTokens, readNodeToken } from '../../../hub/broker/broker-tokens.js';
import type { EdgeSync } from '../../../hub/edge-sync/edge-sync.js';
import type { RunningMqtt } from '../../../hub/hub-mqtt.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

export interface MqttTestHub {
  t: TestHub;
  mqtt: RunningMqtt;
  edgeSync: EdgeSync;
  tokens: BrokerTokens;
  /** The default bootstrap token, DIR/node-token. */
  joinToken: string;
  /** The node key this test's gateway of that name uses (the same on every connect). */
  keyOf(node: string): string;
  logs: string[];
  /** Waits for a log line containing every fragment. */
  logged(...fragments: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startMqttTestHub(
  options: { controllers?: string[] | 'all'; dataDir?: string } = {},
): Promise<MqttTestHub> {
  const logs: string[] = [];
  const keys = new Map<string, string>();
  const t = await startTestHub(options.dataDir, {
    log: captureLogger(logs),
    mqttWsPort: 0,
    ...(options.controllers ? { controllers: options.controllers } : {}),
  });
  const mqtt = t.hub.mqtt;
  return {
    t,
    mqtt,
    edgeSync: t.hub.edgeSync,
    tokens: loadBrokerTokens(t.dataDir),
    joinToken: readNodeToken(t.dataDir)!,
    keyOf: (node) => {
      const key = keys.get(node) ?? aNodeKey();
      keys.set(node, key);
      return key;
    },
    logs,
    logged: (...fragments) =>
      eventually(() => logs.find((line) => fragments.every((f) => line.includes(f))), {
        timeoutMs: 5000,
      }).then((line) => line ?? ''),
    close: () => t.close(),
  };
}

/** Publishes a QoS 1 message from inside the broker, as the hub's own messages reach clients. */
export function publishFromBroker(hub: MqttTestHub, topic: string, payload: string, retain = false): void {
  hub.mqtt.broker.aedes.publish(
    { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain, dup: false },
    () => {},
  );
}

export function aNodeKey(): string {
  return randomBytes(24).toString('base64url');
}

export interface Gateway {
  node: string;
  client: MqttClient;
  send<T>(route: Route<T, 'node'>, payload: T): Promise<void>;
  /** Messages received, by topic, newest last. */
  received: Map<string, Buffer[]>;
  /** Every message received, in arrival order. */
  log: Array<{ topic: string; payload: Buffer }>;
}

/**
 * A gateway as the edge agent connects: persistent session, Last Will on presence, the bootstrap
 * token and the node key of that name (`nodeKey` overrides it: another gateway claiming the name).
 */
export async function connectGateway(
  hub: MqttTestHub,
  node: string,
  overrides: Partial<IClientOptions> & { nodeKey?: string; joinToken?: string } = {},
): Promise<Gateway> {
  const { nodeKey = hub.keyOf(node), joinToken = hub.joinToken, ...options } = overrides;
  const client = await connectAsync(hub.mqtt.mqttUrl, {
    ...agentConnectFields(node, joinToken, nodeKey),
    reconnectPeriod: 0,
    ca: hub.mqtt.caPem,
    ...options,
  });
  return wrap(node, client);
}

function wrap(node: string, client: MqttClient): Gateway {
  const received = new Map<string, Buffer[]>();
  const log: Gateway['log'] = [];
  client.on('message', (topic, payload) => {
    // Appended in place: a fuzz run receives tens of thousands of messages.
    const list = received.get(topic) ?? [];
    list.push(payload);
    received.set(topic, list);
    log.push({ topic, payload });
  });
  client.on('error', () => {});
  return {
    node,
    client,
    received,
    log,
    send: async (route, payload) => {
      await client.publishAsync(buildTopic(route, { node }), encodePayload(payload), {
        qos: route.qos,
        retain: route.retain,
      });
    },
  };
}

export async function connectDashboard(hub: MqttTestHub, url = hub.mqtt.mqttUrl): Promise<Gateway> {
  const client = await connectAsync(url, {
    protocolVersion: 4,
    clientId: `dash-${randomBytes(4).toString('hex')}`,
    username: dashboardUsername,
    password: hub.tokens.dashboard,
    reconnectPeriod: 0,
    ca: hub.mqtt.caPem,
  });
  return wrap('dashboard', client);
}

/** A valid registration for `node` (the protocol document's example, renamed). */
export function aRegistration(node: string, observedAt = Date.now()): NodeRegistration {
  const example = structuredClone(payloadExamples.register);
  return {
    ...example,
    observedAt,
    labels: { ...example.labels, 'kubernetes.io/hostname': node, 'flotilla.io/site': 'hall-3' },
    addresses: [{ type: 'InternalIP', address: '192.168.10.17' }],
  };
}

/** Waits until the client has been disconnected by the broker. */
export function closedByBroker(client: MqttClient): Promise<void> {
  return eventually(() => !client.connected, { timeoutMs: 5000 }).then(() => {});
}

/** SUBACK return codes for `filters` (128 = refused); mqtt.js rejects when any is refused. */
export async function grantedQos(client: MqttClient, filters: string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filters)).map((g) => g.qos);
  } catch (err) {
    const granted = (err as { packet?: { granted?: number[] } }).packet?.granted;
    if (!granted) throw err;
    return granted;
  }
}
