// One gateway as a Sparkplug edge node on the broker: its own MQTT connection (clean session,
// MQTT 3.1.1) whose Will is its NDEATH, so that whatever ends the connection — the hub crashing,
// the network, the broker restarting — a host application gets that edge node's NDEATH with
// the bdSeq of its NBIRTH (spec 7.1). The hub cannot give one shared connection a Will per edge
// node: an MQTT connection has one Will.
// The order on a connection: subscribe to NCMD (and the primary host's STATE), then NBIRTH and
// the DBIRTHs — at once without a primary host, else only while its STATE says online (spec
// 7.4: an edge node with a primary host waits for it). A STATE offline (newer than the last one
// seen) ends the session with an NDEATH and a new connection that waits again; an NCMD with
// `Node Control/Rebirth` true is answered with a new NBIRTH and DBIRTHs.
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { nextBackoffDelay } from '../../api/backoff.js';
import type { Logger } from '../../api/logger.js';
import { payloadType } from '../../api/sparkplug/payload-schema.js';
import { type HostState, nodeTopic, parseHostState, stateTopic } from '../../api/sparkplug/topics.js';
import type { BdSeqBook } from './bdseq-book.js';
import { deathPayload, EdgeNodeSession, type EdgeNodeSnapshot, rebirthMetric } from './edge-node-session.js';

export interface SparkplugBroker {
  /** mqtt://, mqtts://, ws:// or wss:// */
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  /** PEM CA the broker's certificate is checked against (system CAs when absent). */
  caPem?: string | undefined;
  /** Client certificate and key (PEM), for brokers that authenticate by certificate. */
  certPem?: string | undefined;
  keyPem?: string | undefined;
  /** Client ids are this prefix and the edge node id. */
  clientIdPrefix: string;
}

export interface EdgeNodeLinkOptions {
  group: string;
  edgeNode: string;
  /** The primary host application's id; undefined for none. */
  hostId: string | undefined;
  broker: SparkplugBroker;
  bdSeqs: BdSeqBook;
  snapshot: () => EdgeNodeSnapshot;
  log: Logger;
  now?: () => number;
}

/** Reconnects wait 1 s, doubling up to 30 s. */
const retryBackoff = { initialMs: 1_000, maxMs: 30_000 };

export class EdgeNodeLink {
  private client: MqttClient | undefined;
  private readonly session: EdgeNodeSession;
  private bdSeq = 0;
  private host: HostState | undefined;
  private closed = false;
  private retryMs = retryBackoff.initialMs;
  private retry: NodeJS.Timeout | undefined;
  private failing = false;
  private readonly now: () => number;

  constructor(private readonly o: EdgeNodeLinkOptions) {
    this.now = o.now ?? Date.now;
    this.session = new EdgeNodeSession(
      o.group,
      o.edgeNode,
      (topic, payload) => this.send(topic, payload),
      this.now,
    );
  }

  start(): void {
    this.connect();
  }

  /** The gateway's metrics may have changed: DATA (or DBIRTH/DDEATH) for what did. */
  update(): void {
    if (this.session.isBorn) this.session.update(this.o.snapshot());
  }

  /** The gateway went offline or away: NDEATH, then a clean disconnect (no Will). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (this.session.isBorn && client.connected) this.sendDeath(client);
    this.session.end();
    await client.endAsync().catch(() => {});
  }

  private get ncmdTopic(): string {
    return nodeTopic(this.o.group, 'NCMD', this.o.edgeNode);
  }

  private connect(): void {
    if (this.closed) return;
    this.bdSeq = this.o.bdSeqs.next(this.o.edgeNode);
    const { broker } = this.o;
    const options: IClientOptions = {
      clientId: `${broker.clientIdPrefix}${this.o.edgeNode}`,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 15_000,
      will: {
        topic: nodeTopic(this.o.group, 'NDEATH', this.o.edgeNode),
        payload: deathPayload(this.bdSeq, this.now()),
        qos: 1,
        retain: false,
      },
      ...(broker.username !== undefined ? { username: broker.username } : {}),
      ...(broker.password !== undefined ? { password: broker.password } : {}),
      ...(broker.caPem ? { ca: broker.caPem } : {}),
      ...(broker.certPem ? { cert: broker.certPem, key: broker.keyPem } : {}),
    };
    const client = connect(broker.url, options);
    this.client = client;
    client.on('connect', () => this.connected(client));
    client.on('message', (topic, payload) => this.received(client, topic, payload));
    client.on('error', (err) => {
      if (!this.failing) this.o.log.info(`edge node ${this.o.edgeNode}: ${err.message}`);
      this.failing = true;
    });
    client.on('close', () => this.lost(client));
  }

  private connected(client: MqttClient): void {
    if (this.failing) this.o.log.info(`edge node ${this.o.edgeNode} connected again`);
    this.failing = false;
    this.retryMs = retryBackoff.initialMs;
    const topics = [this.ncmdTopic, ...(this.o.hostId ? [stateTopic(this.o.hostId)] : [])];
    client.subscribe(topics, { qos: 1 }, (err) => {
      if (err || client !== this.client) return;
      // Without a primary host the edge node is born at once; with one, when its STATE says online
      // (the retained STATE may have come, and been answered, before this SUBACK callback).
      if (!this.session.isBorn && this.mayBirth()) this.birth();
    });
  }

  private received(client: MqttClient, topic: string, payload: Buffer): void {
    if (client !== this.client) return;
    if (this.o.hostId && topic === stateTopic(this.o.hostId)) this.hostStateChanged(payload);
    else if (topic === this.ncmdTopic && this.asksRebirth(payload) && this.mayBirth()) this.birth();
  }

  private hostStateChanged(payload: Buffer): void {
    const state = parseHostState(payload);
    // A STATE older than the one in hand is a late copy (spec: compare the timestamps).
    if (!state || (this.host && state.timestamp < this.host.timestamp)) return;
    const wasOnline = this.host?.online ?? false;
    this.host = state;
    if (state.online && !this.session.isBorn) this.birth();
    else if (!state.online && wasOnline && this.session.isBorn) this.restart();
  }

  private mayBirth(): boolean {
    return !this.o.hostId || this.host?.online === true;
  }

  private asksRebirth(payload: Buffer): boolean {
    try {
      const message = payloadType.toObject(payloadType.decode(payload), { longs: Number }) as {
        metrics?: { name?: string; alias?: number; booleanValue?: boolean }[];
      };
      const alias = this.session.aliasOf(rebirthMetric);
      return (message.metrics ?? []).some(
        (m) =>
          (m.name === rebirthMetric || (m.name === undefined && m.alias === alias)) &&
          m.booleanValue === true,
      );
    } catch (err) {
      this.o.log.warn(`edge node ${this.o.edgeNode}: NCMD not decoded: ${(err as Error).message}`);
      return false;
    }
  }

  private birth(): void {
    try {
      this.session.birth(this.bdSeq, this.o.snapshot());
    } catch (err) {
      this.o.log.warn(`edge node ${this.o.edgeNode}: birth not sent: ${(err as Error).message}`);
    }
  }

  /** The primary host went offline: NDEATH, disconnect, and a new connection that waits for it. */
  private restart(): void {
    const client = this.client;
    this.client = undefined;
    if (client) {
      if (client.connected) this.sendDeath(client);
      client.end(false, () => this.connect());
    }
    this.session.end();
  }

  private lost(client: MqttClient): void {
    if (client !== this.client) return;
    this.session.end();
    this.client = undefined;
    client.removeAllListeners('close');
    client.end(true);
    if (this.closed) return;
    // A new connection is a new bdSeq and a new Will: the broker has sent the old one.
    this.retry = setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = nextBackoffDelay(this.retryMs, retryBackoff);
  }

  private sendDeath(client: MqttClient): void {
    client.publish(nodeTopic(this.o.group, 'NDEATH', this.o.edgeNode), deathPayload(this.bdSeq, this.now()), {
      qos: 1,
      retain: false,
    });
  }

  private send(topic: string, payload: Buffer): void {
    this.client?.publish(topic, payload, { qos: 0, retain: false });
  }
}
