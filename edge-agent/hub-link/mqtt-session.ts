// The gateway's one MQTT session: persistent (clean session off), the Last Will from
// agentConnectFields, and reconnects with back-off forever. mqtt.js's own reconnect runs at a
// fixed period, so it is off and this class schedules `reconnect()` itself. QoS 1 publishes
// resolve on PUBACK and reject when the connection drops first: callers keep their data and
// send it again after the next CONNACK (the outbox, the connect sequence). `prepare` runs before
// the first connection and again before each retry until it succeeds: the TLS trust
// (hub-trust.ts) may need the hub's CA found first, and a failure there is retried with the same
// back-off as a refused connection, and logged the same way.
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Logger } from '../../api/logger.js';
import { type AgentConnectFields, agentConnectTimeoutMs } from '../../api/mqtt/agent-session.js';
import { createMqttClient } from './mqtt-transport.js';
import { type BackoffOptions, describeConnectError, ReconnectBackoff } from './reconnect-backoff.js';

export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
}

export interface MqttSessionOptions {
  url: string;
  fields: AgentConnectFields;
  /** At most 30 s (firmware-notes/protocol.md). */
  keepaliveSeconds?: number;
  connectTimeoutMs?: number;
  reconnect?: BackoffOptions;
  log: Logger;
  /** `sessionPresent`: the broker kept the session (subscriptions, queued QoS 1 messages). */
  onConnect: (sessionPresent: boolean) => void;
  onMessage: (topic: string, payload: Buffer) => void;
  /** The connection ended, or an attempt to connect failed. */
  onClose?: () => void;
  /** Extra client options (TLS), settled before the client is created; a rejection is a failed attempt. */
  prepare?: () => Promise<Partial<IClientOptions>>;
}

export class MqttSession {
  private client: MqttClient | undefined;
  private readonly backoff: ReconnectBackoff;
  private retry: NodeJS.Timeout | undefined;
  private lastError = '';
  /** The last attempt was refused at TCP (nothing listening): retried on the shorter cadence. */
  private refused = false;
  private lastLogged: string | undefined;
  private wasConnected = false;
  private stopped = false;

  constructor(private readonly options: MqttSessionOptions) {
    this.backoff = new ReconnectBackoff(options.reconnect);
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  start(): void {
    void this.open();
  }

  private async open(): Promise<void> {
    const { options } = this;
    let extra: Partial<IClientOptions> = {};
    try {
      if (options.prepare) extra = await options.prepare();
    } catch (err) {
      if (this.stopped) return;
      this.lastError = (err as Error).message;
      options.onClose?.();
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    const clientOptions: IClientOptions = {
      ...extra,
      ...options.fields,
      keepalive: options.keepaliveSeconds ?? 30,
      connectTimeout: options.connectTimeoutMs ?? agentConnectTimeoutMs,
      reconnectPeriod: 0,
      resubscribe: false,
      queueQoSZero: false,
      // mqtt-packet otherwise keeps a 2-byte Buffer for every number 0-65535 (message ids,
      // lengths) to write them without allocating: 6 MiB of an agent's heap, for a link that
      // sends a few messages a minute.
      writeCache: false,
    };
    const client = createMqttClient(options.url, clientOptions);
    client.setMaxListeners(0);
    this.client = client;
    client.on('connect', (connack) => {
      (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
      if (this.backoff.failures > 0 || !this.wasConnected) options.log.info(`connected to ${options.url}`);
      this.backoff.connected();
      this.lastLogged = undefined;
      this.wasConnected = true;
      this.lastError = '';
      options.onConnect(connack?.sessionPresent === true);
    });
    client.on('message', (topic, payload) => options.onMessage(topic, payload));
    client.on('error', (err) => {
      this.lastError = describeConnectError(err as Error & { code?: unknown });
      this.refused = (err as Error & { code?: unknown }).code === 'ECONNREFUSED';
    });
    client.on('close', () => {
      options.onClose?.();
      this.scheduleReconnect();
    });
  }

  /** QoS 1 (or 0) publish; resolves on PUBACK, rejects if the connection ends first. */
  publish(topic: string, payload: Buffer, opts: { qos: 0 | 1; retain?: boolean }): Promise<void> {
    const client = this.client;
    if (!client?.connected) return Promise.reject(new NotConnectedError('not connected to the hub'));
    return new Promise((resolve, reject) => {
      const onClose = () => {
        client.off('close', onClose);
        reject(new NotConnectedError('connection closed before the hub acknowledged'));
      };
      client.on('close', onClose);
      client.publish(topic, payload, { qos: opts.qos, retain: opts.retain ?? false }, (err) => {
        client.off('close', onClose);
        if (err) reject(err);
        else resolve();
      });
    });
  }

  async subscribe(subscriptions: Array<{ filter: string; qos: 0 | 1 }>): Promise<void> {
    const client = this.client;
    if (!client?.connected) throw new NotConnectedError('not connected to the hub');
    await client.subscribeAsync(Object.fromEntries(subscriptions.map((s) => [s.filter, { qos: s.qos }])));
  }

  async unsubscribe(filters: string[]): Promise<void> {
    const client = this.client;
    if (!client?.connected) throw new NotConnectedError('not connected to the hub');
    await client.unsubscribeAsync(filters);
  }

  /** Sends `farewell` (if connected) and disconnects cleanly; no reconnect afterwards. */
  async stop(farewell?: { topic: string; payload: Buffer }): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    if (!client) return;
    if (client.connected && farewell) {
      const sent = this.publish(farewell.topic, farewell.payload, { qos: 1, retain: true }).catch(() => {});
      await Promise.race([sent, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    }
    // A graceful end waits for every in-flight QoS 1 message to be acknowledged; after a
    // partition some never are (the hub dropped the old session's packet ids), and SIGTERM hung
    // for good. Give the hub a moment, then close the socket anyway: the outbox keeps the rest.
    const ended = client.endAsync(!client.connected);
    const gracePeriod = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), 3_000).unref(),
    );
    if ((await Promise.race([ended, gracePeriod])) === 'timeout') await client.endAsync(true);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    const { upForMs: upFor, delayMs: delay } = this.backoff.next(Date.now(), this.refused);
    this.refused = false;
    const { failures } = this.backoff;
    const { url } = this.options;
    const cause = this.lastError ? `: ${this.lastError}` : '';
    this.lastError = '';
    // A gateway offline for days must not fill its log (or its flash): a repeated failure is
    // logged at attempts 1, 2, 4, 8, … and whenever its cause changes.
    const repeated = cause === this.lastLogged && (failures & (failures - 1)) !== 0;
    if (!repeated) {
      const what = upFor !== undefined ? `connection to ${url} lost` : `cannot connect to ${url}`;
      const attempts = failures > 2 ? ` (${failures} attempts)` : '';
      this.options.log.warn(`${what}${cause}${attempts}; retrying in ${formatDelay(delay)}`);
    }
    this.lastLogged = cause;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      const client = this.client;
      // The stores go along: reconnect() without them starts empty, which drops the QoS 1
      // publishes still in flight (they must be sent again [MQTT-4.4.0-1]) and leaves their
      // callbacks waiting forever, so a later clean end() never returned.
      if (this.stopped) return;
      if (client) {
        client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
      } else {
        void this.open();
      }
    }, delay);
  }
}

function formatDelay(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
