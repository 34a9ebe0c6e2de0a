// The hub's MQTT side, wired: the embedded broker, the hub's own client and edge sync.
// hub/main.ts calls startMqtt after the registry is open and stops it before the store closes.
import { type Clock, systemClock } from '../api/clock.js';
import type { Registry } from './apiserver/registry/registry.js';
import { type RunningBroker, startBroker } from './broker/broker.js';
import { loadBrokerTokens } from './broker/broker-tokens.js';
import { type EdgeSync, startEdgeSync } from './edge-sync/edge-sync.js';
import { createHubClient, hubClientReady } from './edge-sync/hub-client.js';
import { NodeRequests } from './edge-sync/node-requests.js';
import { publisherFor } from './edge-sync/publish.js';
import type { Store } from './store/store.js';

export interface MqttOptions {
  dataDir: string;
  bind: string;
  /** TCP port of the embedded broker (default 1883; 0 picks a free one). */
  mqttPort: number;
  /** WebSocket port; undefined for no WebSocket listener. */
  mqttWsPort?: number | undefined;
  log: (line: string) => void;
  clock?: Clock;
  /** Desired-state coalescing window in ms (default 75). */
  coalesceMs?: number;
}

export const defaultMqttPort = 1883;

export interface RunningMqtt {
  mqttUrl: string;
  mqttPort: number;
  mqttWsPort: number | undefined;
  broker: RunningBroker;
  edgeSync: EdgeSync;
  /** Requests to gateways (logs) answered over MQTT. */
  requests: NodeRequests;
  stop(): Promise<void>;
}

function loopbackHost(bind: string): string {
  if (bind === '0.0.0.0' || bind === '::') return '127.0.0.1';
  return bind.includes(':') ? `[${bind}]` : bind;
}

export async function startMqtt(
  registry: Registry,
  store: Store,
  options: MqttOptions,
): Promise<RunningMqtt> {
  const { log } = options;
  const tokens = loadBrokerTokens(options.dataDir);
  const broker = await startBroker({
    tokens,
    bind: options.bind,
    port: options.mqttPort,
    wsPort: options.mqttWsPort,
    log,
  });
  const mqttUrl = `mqtt://${loopbackHost(options.bind)}:${broker.port}`;
  // The client's message handler is in place before it connects (a persistent session's queued
  // messages arrive right after CONNACK); publishes made before CONNACK are queued by mqtt.js.
  let sync: EdgeSync | undefined;
  const client = createHubClient({
    url: mqttUrl,
    token: tokens.hub,
    instance: 'edge-sync',
    onMessage: (topic, payload) => {
      sync?.receive(topic, payload);
      // `requests` (below) is set before the client can receive anything: it is still connecting.
      requests.receive(topic, payload);
    },
  });
  const publish = publisherFor(client, log);
  const requests = new NodeRequests({ publish });
  const edgeSync = startEdgeSync({
    registry,
    store,
    publish,
    clock: options.clock ?? systemClock,
    log,
    coalesceMs: options.coalesceMs,
  });
  sync = edgeSync;
  try {
    await hubClientReady(client, log);
  } catch (err) {
    requests.stop();
    edgeSync.stop();
    await client.endAsync(true).catch(() => {});
    await broker.close();
    throw err;
  }
  log(
    `flotilla hub: MQTT broker on ${mqttUrl}${broker.wsPort !== undefined ? ` and ws port ${broker.wsPort}` : ''}`,
  );
  let stopping: Promise<void> | undefined;
  return {
    mqttUrl,
    mqttPort: broker.port,
    mqttWsPort: broker.wsPort,
    broker,
    edgeSync,
    requests,
    stop: () => {
      stopping ??= (async () => {
        requests.stop();
        edgeSync.stop();
        await edgeSync.idle();
        await client.endAsync(true).catch(() => {});
        await broker.close();
      })();
      return stopping;
    },
  };
}
