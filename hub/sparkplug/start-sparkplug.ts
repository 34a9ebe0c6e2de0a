// Sparkplug B wired into the hub: the bridge reads the hub's informer cache and hears the
// gateways' presence from the embedded broker, and publishes either to the embedded broker
// (as the hub's own MQTT user, client ids `hub:sparkplug:<edge node>`) or to a plant broker.
import { join } from 'node:path';
import type { Logger } from '../../api/logger.js';
import { hubClientPrefix, hubUsername } from '../../api/mqtt/credentials.js';
import { loadBrokerTokens } from '../broker/broker-tokens.js';
import type { SharedInformers } from '../client/shared-informers.js';
import type { RunningMqtt } from '../hub-mqtt.js';
import type { NodeHeartbeats } from '../node-heartbeats.js';
import type { SparkplugBroker } from './edge-node-link.js';
import { SparkplugBridge } from './sparkplug-bridge.js';

export interface SparkplugConfig {
  group: string;
  /** The primary host application's id (`--sparkplug-host-id`); births wait for its STATE. */
  hostId?: string | undefined;
  /** A plant broker; undefined publishes to the embedded broker. */
  broker?: Omit<SparkplugBroker, 'clientIdPrefix'> | undefined;
  /** Coalescing window and Last Seen refresh (ms); tests shorten them. */
  coalesceMs?: number;
  lastSeenRefreshMs?: number;
}

export interface RunningSparkplug {
  bridge: SparkplugBridge;
  /** Where the edge nodes publish. */
  brokerUrl: string;
  stop(): Promise<void>;
}

export function startSparkplug(
  config: SparkplugConfig,
  mqtt: RunningMqtt,
  informers: SharedInformers,
  heartbeats: NodeHeartbeats | undefined,
  dataDir: string,
  log: Logger,
): RunningSparkplug {
  const broker: SparkplugBroker = config.broker
    ? { ...config.broker, clientIdPrefix: `flotilla-${config.group}-` }
    : {
        url: mqtt.mqttUrl,
        username: hubUsername,
        password: loadBrokerTokens(dataDir).hub,
        caPem: mqtt.caPem,
        clientIdPrefix: `${hubClientPrefix}sparkplug:`,
      };
  const bridge = new SparkplugBridge(informers, heartbeats, {
    group: config.group,
    hostId: config.hostId,
    broker,
    bdSeqPath: join(dataDir, 'sparkplug-bdseq.json'),
    log,
    ...(config.coalesceMs !== undefined ? { coalesceMs: config.coalesceMs } : {}),
    ...(config.lastSeenRefreshMs !== undefined ? { lastSeenRefreshMs: config.lastSeenRefreshMs } : {}),
  });
  const unhear = mqtt.hear((message) => {
    if (message.route === 'presence' && message.payload.ok) {
      bridge.setOnline(message.node, message.payload.value.state === 'online');
    }
  });
  log.info(
    `Sparkplug B group ${config.group} on ${broker.url}${config.hostId ? `, primary host ${config.hostId}` : ''}`,
  );
  return {
    bridge,
    brokerUrl: broker.url,
    stop: async () => {
      unhear();
      await bridge.stop();
    },
  };
}
