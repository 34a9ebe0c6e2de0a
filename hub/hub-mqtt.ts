import type { Logger } from '../api/logger.js';
// The hub's MQTT side, wired: the embedded broker, the hub's link into it (what the hub hears and
// how it publishes), gateway credentials and requests to gateways. Edge sync, the component that
// turns those messages into API objects and back, is started by hub/main.ts on this link.
// hub/main.ts calls startMqtt after the registry is open and stops it before the store closes.

import { type Clock, systemClock } from '../api/clock.js';
import { caCertHash, shortHash } from '../api/mqtt/join-string.js';
import { parseTopic } from '../api/mqtt/route-table.js';
import { GatewayUsage } from './apiserver/metrics/gateway-usage.js';
import { NodeRequests } from './apiserver/node-requests/node-requests.js';
import type { Registry } from './apiserver/registry/registry.js';
import { type AgentMessage, readAgentMessage } from './broker/agent-message.js';
import { BootstrapTokens } from './broker/bootstrap-tokens.js';
import { type BrokerTls, type RunningBroker, startBroker } from './broker/broker.js';
import { ensureNodeToken, loadBrokerTokens } from './broker/broker-tokens.js';
import { attachHub } from './broker/hub-link.js';
import { NodeCredentials } from './broker/node-credentials.js';
import { revokeOrphanBindings, startNodeKeyRevoker } from './broker/node-key-revoker.js';
import type { SharedInformers } from './client/shared-informers.js';
import type { PublishFn } from './edge-sync/publish.js';
import { writeJoinString } from './pki/join-string-file.js';
import type { HubMetrics } from './prometheus/hub-metrics.js';
import type { Store } from './store/store.js';

export interface MqttOptions {
  dataDir: string;
  bind: string;
  /** The broker's certificate and the CA it chains to (hub/pki). */
  tls: BrokerTls;
  /** MQTT over TLS (default 8883; 0 picks a free one). */
  mqttPort: number;
  /** MQTT over WebSocket over TLS (wss); undefined for no WebSocket listener. */
  mqttWsPort?: number | undefined;
  /** Plain MQTT, no TLS (`--mqtt-insecure-port`); undefined (the default) for none. */
  mqttInsecurePort?: number | undefined;
  log: Logger;
  /** The hub's Prometheus metrics: MQTT messages by route, broker sessions, gateways by state. */
  metrics?: HubMetrics;
  clock?: Clock;
  /** The hub's one informer cache (shared with the controllers). */
  informers: SharedInformers;
}

/** MQTT over TLS: the IANA port (1883 is plain MQTT, off unless asked for). */
export const defaultMqttPort = 8883;

export interface RunningMqtt {
  /**
   * Opens the broker's listeners (broker.ts, listen): the hub calls it once its controllers
   * run, and the URL and ports below are known from then on.
   */
  listen(): Promise<void>;
  /** mqtts://<loopback or bind address>:<port>: where a client on this machine reaches the broker. */
  readonly mqttUrl: string;
  readonly mqttPort: number;
  readonly mqttWsPort: number | undefined;
  readonly mqttInsecurePort: number | undefined;
  /** The CA every MQTT client verifies the broker with (DIR/pki/ca.crt). */
  caPem: string;
  /** What gateways are given (DIR/node-token): `<token>::sha256:<CA hash>`. */
  joinString: string;
  broker: RunningBroker;
  /** Bootstrap tokens (kube-system Secrets) and each node name's bound key. */
  bootstrapTokens: BootstrapTokens;
  credentials: NodeCredentials;
  /** Requests to gateways (logs) answered over MQTT. */
  requests: NodeRequests;
  /**
   * Hands every agent → hub message, decoded and checked once, to `listener` (it must not throw;
   * edge sync is one); returns its removal. Listeners added before listen() hear every gateway.
   */
  hear(listener: (message: AgentMessage) => void): () => void;
  /** The gateways' CPU and memory use (metrics.k8s.io), asked of them and kept briefly. */
  usage: GatewayUsage;
  /** Publishes as the hub (hub → agent routes). */
  publish: PublishFn;
  /** The topics of the retained messages the broker holds under a filter. */
  retainedTopics(filter: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** The route table's name for a topic (a bounded label), `other` for topics outside it. */
function routeName(topic: string): string {
  return parseTopic(topic)?.route.name ?? 'other';
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
  const { metrics, informers } = options;
  const brokerLog = options.log.child('broker');
  const clock = options.clock ?? systemClock;
  const tokens = loadBrokerTokens(options.dataDir);
  const bootstrapTokens = new BootstrapTokens(registry.for({ group: '', resource: 'secrets' }), clock);
  const nodeToken = await ensureNodeToken(options.dataDir, bootstrapTokens, clock, brokerLog);
  const joinString = writeJoinString(options.dataDir, nodeToken, options.tls.caPem);
  const credentials = new NodeCredentials(registry.for({ group: '', resource: 'secrets' }), bootstrapTokens);
  await revokeOrphanBindings(store, credentials, brokerLog);
  const broker = await startBroker({
    tokens,
    credentials,
    bind: options.bind,
    tls: options.tls,
    port: options.mqttPort,
    wsPort: options.mqttWsPort,
    insecurePort: options.mqttInsecurePort,
    log: brokerLog,
  });
  const revoker = startNodeKeyRevoker(
    informers.for({ group: '', resource: 'nodes' }),
    credentials,
    broker.sessions,
    brokerLog,
  );
  // The hub is attached to the broker before edge sync starts, so what edge sync publishes at
  // once (the retained shared state) is not lost; gateways get in only once the broker opens its
  // listeners (listen).
  const listeners = new Set<(message: AgentMessage) => void>();
  const link = await attachHub(
    broker.aedes,
    (topic, payload) => {
      // Decoded and checked once (the broker's result, agent-message.ts) for every reader below.
      const message = readAgentMessage(topic, payload);
      if (metrics) metrics.mqttReceived.inc({ route: message?.route ?? 'other' });
      if (!message) return;
      for (const listener of listeners) listener(message);
    },
    brokerLog,
  );
  const publish: PublishFn = metrics
    ? (topic, payload, publishOptions) => {
        const route = routeName(topic);
        metrics.mqttPublished.inc({ route });
        metrics.mqttPublishedBytes.inc({ route }, payload.length);
        link.publish(topic, payload, publishOptions);
      }
    : link.publish;
  const requests = new NodeRequests({ publish });
  listeners.add((message) => requests.receive(message));
  const usage = new GatewayUsage({ requests, log: options.log.child('edge-sync') });
  if (metrics) {
    metrics.sources.gateways = () => requests.presenceCounts();
    metrics.sources.mqttSessions = () => broker.aedes.connectedClients;
    broker.aedes.on('publish', () => metrics.brokerMessages.inc());
  }
  informers.for({ group: '', resource: 'nodes' }).addHandler({
    delete: (node) => usage.forget(node.metadata.name ?? ''),
  });
  const mqttUrl = () => `mqtts://${loopbackHost(options.bind)}:${broker.port}`;
  const listen = async () => {
    await broker.listen();
    const also = [
      ...(broker.wsPort !== undefined ? [`wss port ${broker.wsPort}`] : []),
      ...(broker.insecurePort !== undefined ? [`plain MQTT (insecure) port ${broker.insecurePort}`] : []),
    ];
    brokerLog.info(
      `MQTT broker on ${mqttUrl()}${also.length > 0 ? ` and ${also.join(', ')}` : ''} (CA ${shortHash(caCertHash(options.tls.caPem))})`,
    );
    if (broker.insecurePort !== undefined)
      brokerLog.warn(
        `WARNING: plain MQTT on port ${broker.insecurePort}: join tokens, node keys and Secrets cross the network in clear`,
      );
  };
  let stopping: Promise<void> | undefined;
  return {
    listen,
    get mqttUrl() {
      return mqttUrl();
    },
    get mqttPort() {
      return broker.port ?? 0;
    },
    get mqttWsPort() {
      return broker.wsPort;
    },
    get mqttInsecurePort() {
      return broker.insecurePort;
    },
    caPem: options.tls.caPem,
    joinString,
    broker,
    bootstrapTokens,
    credentials,
    requests,
    hear: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    usage,
    publish,
    retainedTopics: (filter) => link.retainedTopics(filter),
    stop: () => {
      stopping ??= (async () => {
        revoker.stop();
        requests.stop();
        await link.detach();
        await broker.close();
      })();
      return stopping;
    },
  };
}
