// One hollow gateway (kubemark's hollow node, for Flotilla): speaks the protocol of
// firmware-notes/protocol.md over its own TLS connection and persistent MQTT session, with no
// runtime behind it. It finds the hub's CA from the join string's pin, joins with the bootstrap
// token and its own node key, runs the connect sequence after every CONNACK, heartbeats and
// sends node status on the real agent's cadence, reconnects with the real agent's back-off and
// CONNACK timeout (api/mqtt/agent-session.ts), and hands desired state to HollowDesired.
// Bytes are counted on the TCP socket under TLS, so the figures are what crosses the wire.
import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { createSecureContext, type SecureContext, connect as tlsConnect } from 'node:tls';
import { MqttClient } from 'mqtt';
import {
  agentConnectFields,
  agentConnectTimeoutMs,
  agentSubscriptions,
  segmentSubscription,
} from '../../api/mqtt/agent-session.js';
import { decodePayload, encodePayload } from '../../api/mqtt/codec.js';
import { protocolVersion } from '../../api/mqtt/payloads/desired-state.js';
import type { NodeRegistration } from '../../api/mqtt/payloads/node-registration.js';
import type { NodeStatusReport } from '../../api/mqtt/payloads/node-status.js';
import { type PodRoute, podRoutesDigest } from '../../api/mqtt/payloads/pod-routes.js';
import { maxPodStatusItems, type PodStatusItem } from '../../api/mqtt/payloads/pod-status.js';
import { buildTopic, parseTopic, type Route, routes } from '../../api/mqtt/route-table.js';
import { topicPrefix } from '../../api/mqtt/topics.js';
import { pinnedCa, presentedChain } from '../../edge-agent/hub-link/ca-discovery.js';
import { defaultHubLinkTiming } from '../../edge-agent/hub-link/hub-link.js';
import { ReconnectBackoff } from '../../edge-agent/hub-link/reconnect-backoff.js';
import { siteLabel } from '../../hub/edge-sync/segments.js';
import { HollowDesired } from './hollow-desired.js';

export interface HollowGatewayOptions {
  name: string;
  /** Distinct per gateway; never dialled. */
  internalIP: string;
  mqttUrl: URL;
  joinToken: string;
  /** `sha256:<hex>` from the join string. */
  caPin: string;
  /** The `flotilla.io/site` label it registers (its pod-route segment), if any. */
  site?: string;
}

export interface HollowCounters {
  desiredMessages: number;
  desiredBytes: number;
  /** TCP payload bytes (TLS records included) both ways, over every connection so far. */
  wireBytes: number;
  connects: number;
  /** TLS connections opened (each MQTT connection attempt that got past the bare TCP probe). */
  attempts: number;
  /** When the last CONNACK arrived (epoch ms; 0 before the first). */
  lastConnectAt: number;
  /** Pod-route messages received: single route changes and whole sets of its segment. */
  routeMessages: number;
}

const sharedPrefix = `${topicPrefix}/shared/`;
const capacity = { cpu: '4', memory: '4Gi', pods: '110', 'ephemeral-storage': '29Gi' };
/** Pod status items per message: well under the 200-item and 256 KiB limits of pods/status. */
const statusBatch = Math.min(100, maxPodStatusItems);

/**
 * One TLS context per CA for the whole fleet. A real gateway builds its context once, in its own
 * process; 10,000 gateways in this one building one per connection attempt spent a third of the
 * bench process on it while the fleet reconnected, time the hub was then measured without.
 */
const contexts = new Map<string, SecureContext>();
function contextFor(ca: string): SecureContext {
  const context = contexts.get(ca) ?? createSecureContext({ ca });
  contexts.set(ca, context);
  return context;
}

/** Counters before anything happened (one gateway's, or a fleet's totals to add up). */
export function noCounters(): HollowCounters {
  return {
    desiredMessages: 0,
    desiredBytes: 0,
    wireBytes: 0,
    connects: 0,
    attempts: 0,
    lastConnectAt: 0,
    routeMessages: 0,
  };
}

export class HollowGateway {
  readonly counters: HollowCounters = noCounters();
  readonly desired: HollowDesired;
  private readonly nodeKey = randomBytes(32).toString('base64url');
  private client: MqttClient | undefined;
  private socket: Socket | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private beats = 0;
  private readonly backoff = new ReconnectBackoff();
  private retry: NodeJS.Timeout | undefined;
  private stopping = false;
  private lastStatusAt = 0;
  private statusDirty = true;
  /** Shared subscriptions made on a session the broker may have kept (as the agent's SharedLink). */
  private sharedSubscribed = false;
  /** The pod routes held, by node (a hollow gateway installs no route). */
  readonly podRoutes = new Map<string, PodRoute>();
  private subscribedSegment: string | undefined;

  constructor(private readonly options: HollowGatewayOptions) {
    this.desired = new HollowDesired(options.name, options.internalIP);
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  get wireBytes(): number {
    return this.counters.wireBytes + (this.socket ? this.socket.bytesRead + this.socket.bytesWritten : 0);
  }

  /** Resolves at the first CONNACK; the gateway reconnects on its own afterwards. */
  async start(): Promise<void> {
    const { options } = this;
    const ca = await this.discoverCa();
    const fields = agentConnectFields(options.name, options.joinToken, this.nodeKey);
    const client = new MqttClient(() => this.openStream(ca), {
      ...fields,
      keepalive: defaultHubLinkTiming.keepaliveSeconds,
      connectTimeout: agentConnectTimeoutMs,
      // Retries are scheduled here, as the agent schedules them (mqtt.js' own are periodic).
      reconnectPeriod: 0,
      resubscribe: false,
      queueQoSZero: false,
    });
    client.setMaxListeners(0);
    this.client = client;
    client.on('error', () => {});
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('close', () => this.scheduleReconnect());
    client.on('connect', (connack) => {
      this.counters.connects++;
      this.counters.lastConnectAt = Date.now();
      this.backoff.connected();
      // Bound: the token is needed no more (firmware may drop it).
      client.options.password = this.nodeKey;
      void this.onConnect(connack.sessionPresent === true);
    });
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    const jitter = Math.random() * defaultHubLinkTiming.heartbeatMs;
    const first = setTimeout(() => {
      this.heartbeat();
      this.timers.push(setInterval(() => this.heartbeat(), defaultHubLinkTiming.heartbeatMs));
    }, jitter);
    this.timers.push(first);
    this.timers.push(setInterval(() => void this.sendStatus(false), defaultHubLinkTiming.statusCheckMs));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    for (const timer of this.timers) clearTimeout(timer);
    await this.client?.endAsync(true);
  }

  /**
   * The agent's rule (ReconnectBackoff): exponential back-off with jitter. Each attempt is
   * preceded by a bare TCP connect: a refused one counts as the failed attempt without building
   * a TLS socket and an MQTT connection first. A hub that is down costs a real gateway nothing,
   * but 10,000 of them in this one process spent a core on 50,000 TLS sockets while the hub they
   * were waiting for started beside them on the same two cores.
   */
  private scheduleReconnect(refused = false): void {
    if (this.stopping || this.retry) return;
    this.retry = setTimeout(() => {
      const client = this.client;
      if (this.stopping || !client) return;
      const { mqttUrl } = this.options;
      const probe = netConnect({ host: mqttUrl.hostname, port: Number(mqttUrl.port) });
      probe.once('connect', () => {
        probe.destroy();
        this.retry = undefined;
        if (this.stopping) return;
        client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
      });
      probe.once('error', (err: Error & { code?: string }) => {
        probe.destroy();
        this.retry = undefined;
        this.scheduleReconnect(err.code === 'ECONNREFUSED');
      });
    }, this.backoff.next(Date.now(), refused).delayMs);
  }

  /** The pin lookup of a first join: one TLS handshake that sends nothing, retried while the hub is busy. */
  private async discoverCa(): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return pinnedCa(await presentedChain(this.options.mqttUrl, 30_000), this.options.caPin);
      } catch (err) {
        if (attempt >= 10) throw err;
        await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
      }
    }
  }

  private openStream(ca: string) {
    const { mqttUrl } = this.options;
    if (this.socket) this.counters.wireBytes += this.socket.bytesRead + this.socket.bytesWritten;
    this.counters.attempts++;
    const raw = netConnect({ host: mqttUrl.hostname, port: Number(mqttUrl.port) });
    this.socket = raw;
    return tlsConnect({
      socket: raw,
      secureContext: contextFor(ca),
      rejectUnauthorized: true,
      host: mqttUrl.hostname,
    });
  }

  private topic(route: Route<unknown, 'node'>): string {
    return buildTopic(route, { node: this.options.name });
  }

  private publish<T>(route: Route<T, 'node'>, payload: T): Promise<unknown> {
    const client = this.client;
    if (!client?.connected) return Promise.resolve();
    return client.publishAsync(this.topic(route), encodePayload(payload), {
      qos: route.qos,
      retain: route.retain,
    });
  }

  /** The doc's connect sequence: presence, register, subscribe, resync, node status, pod statuses. */
  private async onConnect(sessionPresent: boolean): Promise<void> {
    const client = this.client!;
    try {
      await this.publish(routes.presence, { state: 'online', since: Date.now() });
      await this.publish(routes.register, this.registration());
      // The own topics always; the shared ones (Services, EndpointSlices, the segment's pod
      // routes, each a retained message per object) when the broker did not keep them.
      const all = agentSubscriptions(this.options.name);
      const segment = this.desired.segment;
      const keep = sessionPresent && this.sharedSubscribed && this.subscribedSegment === segment;
      const wanted = keep
        ? all.filter((s) => !s.filter.startsWith(sharedPrefix))
        : [...all, ...(segment ? [segmentSubscription(segment)] : [])];
      await client.subscribeAsync(Object.fromEntries(wanted.map((s) => [s.filter, { qos: s.qos }])));
      if (!keep) {
        this.sharedSubscribed = true;
        this.subscribedSegment = segment;
      }
      await this.publish(routes.resync, this.desired.resyncRequest());
      await this.askRoutes();
      await this.sendStatus(true);
      await this.sendPodStatus(this.desired.allStatuses());
    } catch {
      // The connection dropped mid-sequence: the next CONNACK runs it again.
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    const route = parseTopic(topic)?.route.name;
    // Shared Services, EndpointSlices and pod routes count as desired-state traffic too.
    if (
      route === undefined ||
      !['desired', 'desiredDelta', 'service', 'endpointSlice', 'podRoute', 'routeSet'].includes(route)
    )
      return;
    this.counters.desiredMessages++;
    this.counters.desiredBytes += payload.byteLength;
    if (route === 'podRoute' || route === 'routeSet') this.holdRoutes(topic, payload);
    if (route !== 'desired' && route !== 'desiredDelta') return;
    const outcome = this.desired.receive(route, payload);
    if (outcome.podCidrChanged) this.statusDirty = true;
    void (async () => {
      try {
        await this.followSegment();
        if (outcome.resync) await this.publish(routes.resync, outcome.resync);
        await this.sendPodStatus(outcome.podStatus);
        if (outcome.ack) await this.publish(routes.ack, outcome.ack);
        if (outcome.podCidrChanged) await this.sendStatus(false);
      } catch {
        // Resent after the next CONNACK (pod statuses) or acked for the retained copy.
      }
    })();
  }

  /**
   * Pod routes as the agent keeps them: a change replaces (an empty message removes) one node's
   * route of the current segment; a whole set replaces them all.
   */
  private holdRoutes(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    const segment = this.desired.segment;
    if (!parsed || segment === undefined) return;
    this.counters.routeMessages++;
    if (parsed.route === routes.routeSet) {
      const set = decodePayload(routes.routeSet, payload);
      if (!set.ok || set.value.segment !== segment) return;
      this.podRoutes.clear();
      for (const route of set.value.routes) this.podRoutes.set(route.node, route);
      return;
    }
    const node = parsed.params.node ?? '';
    if (parsed.params.segment !== segment || node === this.options.name) return;
    if (payload.byteLength === 0) this.podRoutes.delete(node);
    else this.podRoutes.set(node, JSON.parse(payload.toString()) as PodRoute);
  }

  /** Asks for the segment's routes with the digest of those held (answered only when they differ). */
  private async askRoutes(): Promise<void> {
    const segment = this.desired.segment;
    // As the agent: only once the segment's subscription is in place (following it asks).
    if (segment === undefined || segment !== this.subscribedSegment) return;
    await this.publish(routes.routesResync, { segment, digest: podRoutesDigest(this.podRoutes.values()) });
  }

  /** The own state named another segment: read that segment's pod routes instead. */
  private async followSegment(): Promise<void> {
    const client = this.client;
    const segment = this.desired.segment;
    if (!client?.connected || !this.sharedSubscribed || segment === this.subscribedSegment) return;
    const old = this.subscribedSegment;
    this.subscribedSegment = segment;
    this.podRoutes.clear();
    if (old !== undefined) await client.unsubscribeAsync(segmentSubscription(old).filter);
    if (segment === undefined) return;
    await client.subscribeAsync(segmentSubscription(segment).filter, { qos: 1 });
    await this.askRoutes();
  }

  private async sendPodStatus(items: PodStatusItem[]): Promise<void> {
    for (let i = 0; i < items.length; i += statusBatch) {
      await this.publish(routes.podStatus, { items: items.slice(i, i + statusBatch) });
    }
  }

  private heartbeat(): void {
    this.publish(routes.heartbeat, { t: Date.now(), s: this.beats++ }).catch(() => {});
  }

  /** On change (the pod network came up), or when the last one is older than the agent's maximum age. */
  private async sendStatus(force: boolean): Promise<void> {
    const now = Date.now();
    const due = this.statusDirty || now - this.lastStatusAt >= defaultHubLinkTiming.statusMaxAgeMs;
    if (!force && !due) return;
    this.statusDirty = false;
    this.lastStatusAt = now;
    await this.publish(routes.nodeStatus, this.nodeStatus(now));
  }

  private registration(): NodeRegistration {
    const { name, internalIP } = this.options;
    return {
      observedAt: Date.now(),
      protocol: protocolVersion,
      labels: {
        'kubernetes.io/arch': 'arm64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        ...(this.options.site ? { [siteLabel]: this.options.site } : {}),
      },
      capacity,
      allocatable: capacity,
      nodeInfo: {
        architecture: 'arm64',
        operatingSystem: 'linux',
        kernelVersion: '6.6.31-v8+',
        osImage: 'hollow gateway',
        containerRuntimeVersion: 'hollow://0',
        kubeletVersion: 'flotilla-hollow/0',
      },
      addresses: [
        { type: 'InternalIP', address: internalIP },
        { type: 'Hostname', address: name },
      ],
    };
  }

  private nodeStatus(observedAt: number): NodeStatusReport {
    const network = this.desired.podCidr !== undefined;
    return {
      observedAt,
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'agent is posting ready status' },
        network
          ? { type: 'NetworkUnavailable', status: 'False', reason: 'RuntimeNetworkReady' }
          : { type: 'NetworkUnavailable', status: 'True', reason: 'NetworkPluginNotReady' },
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID' },
      ],
      capacity,
      allocatable: capacity,
    };
  }
}
