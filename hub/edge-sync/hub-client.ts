// The hub's own MQTT client: a persistent session (clean off, so QoS 1 status sent while the
// hub is briefly away is queued by the broker) subscribed to every agent → hub route.
// With the embedded broker it connects in-process (no socket, no TLS); to an external broker
// (mosquitto) by URL. The session is the same either way.
import type { Duplex } from 'node:stream';
import { connect, MqttClient } from 'mqtt';
import { hubClientPrefix, hubUsername } from '../../api/mqtt/credentials.js';
import { routeList, wildcardFilter } from '../../api/mqtt/route-table.js';

export interface HubClientOptions {
  /** mqtts:// (or mqtt:// for an external broker without TLS). */
  url: string;
  /** A new in-process connection to the embedded broker, per (re)connect; the URL is then only named. */
  connectInProcess?: () => Duplex;
  /** The CA the broker's certificate is verified against (PEM). */
  caPem?: string;
  token: string;
  /** Distinguishes hub replicas; the client id is `hub:<instance>`. */
  instance: string;
  /** Attached before connecting: a persistent session's queued messages arrive right after CONNACK. */
  onMessage: (topic: string, payload: Buffer) => void;
}

/** Starts connecting; the message handler is attached before any packet can arrive. */
export function createHubClient(options: HubClientOptions): MqttClient {
  const session = {
    protocolVersion: 4 as const,
    clientId: `${hubClientPrefix}${options.instance}`,
    username: hubUsername,
    password: options.token,
    clean: false,
    keepalive: 30,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
  };
  const open = options.connectInProcess;
  const client = open
    ? new MqttClient(() => open(), session)
    : connect(options.url, {
        ...session,
        ...(options.caPem !== undefined ? { ca: options.caPem, rejectUnauthorized: true } : {}),
      });
  client.on('message', options.onMessage);
  return client;
}

const readyTimeoutMs = 15_000;

/** Waits for the first CONNACK and subscribes to every agent → hub route. */
export async function hubClientReady(client: MqttClient, log: (line: string) => void): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        settle(
          new Error(
            `no CONNACK from ${client.options.host ?? 'the embedded broker'} in ${readyTimeoutMs} ms`,
          ),
        ),
      readyTimeoutMs,
    );
    const settle = (err?: Error) => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', settle);
      if (err) reject(err);
      else resolve();
    };
    const onConnect = () => settle();
    client.once('connect', onConnect);
    client.once('error', settle);
  });
  client.on('error', (err) => log(`edge-sync: MQTT client error: ${err.message}`));
  const subscriptions = Object.fromEntries(
    routeList.filter((r) => r.direction === 'agent-to-hub').map((r) => [wildcardFilter(r), { qos: r.qos }]),
  );
  await client.subscribeAsync(subscriptions);
}
