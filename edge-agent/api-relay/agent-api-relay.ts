// The API relay as the agent runs it: relay, cache, HTTPS listener, and the service proxy told
// to point the `kubernetes` Service's ClusterIP at the relay on the pod network's gateway address
// (the bridge's own address, which every pod routes through).
import { join } from 'node:path';
import type { Logger } from '../../api/logger.js';
import type { Route } from '../../api/mqtt/route-table.js';
import { loadStateEncryption } from '../local-state/state-encryption.js';
import type { ServiceProxy } from '../proxy/service-proxy.js';
import { firstHost } from '../runtime/containerd-config.js';
import { ApiRelay, type ApiRelayLimits, type RelayLink } from './api-relay.js';
import { type CacheLimits, RelayCache } from './relay-cache.js';
import { RelayServer } from './relay-server.js';

/** The relay's listen port on the gateway (pods reach it as kubernetes.default.svc:443). */
export const defaultApiRelayPort = 10443;

export interface ApiRelayChoice {
  /** Default 0.0.0.0, taking only connections to the pod network's gateway address. */
  host?: string;
  port?: number;
  limits?: Partial<ApiRelayLimits>;
  cache?: Partial<CacheLimits>;
}

export interface AgentApiRelayDeps {
  dataDir: string;
  nodeName: string;
  offlineSince: () => number | undefined;
  proxy: Pick<ServiceProxy, 'setApiRelay'> | undefined;
  log: Logger;
}

export class AgentApiRelay implements RelayLink {
  readonly relay: ApiRelay;
  readonly cache: RelayCache;
  readonly server: RelayServer;
  private link: RelayLink | undefined;
  private podGateway: string | undefined;

  constructor(
    choice: ApiRelayChoice,
    private readonly deps: AgentApiRelayDeps,
  ) {
    const sealing = loadStateEncryption(deps.dataDir);
    this.cache = new RelayCache(
      join(deps.dataDir, 'api-relay', 'cache'),
      {
        seal: (plain, ctx) => sealing.toStorage(plain, ctx),
        open: (stored, ctx) => sealing.fromStorage(stored, ctx).plain,
      },
      choice.cache,
      deps.log,
    );
    this.relay = new ApiRelay({
      nodeName: deps.nodeName,
      link: this,
      cache: this.cache,
      offlineSince: deps.offlineSince,
      limits: choice.limits ?? {},
      log: deps.log,
    });
    const host = choice.host ?? '0.0.0.0';
    this.server = new RelayServer({
      dataDir: deps.dataDir,
      nodeName: deps.nodeName,
      relay: this.relay,
      link: this,
      host,
      port: choice.port ?? defaultApiRelayPort,
      ...(choice.host === undefined ? { localAddress: () => this.podGateway } : {}),
      listening: () => this.pointProxy(),
      log: deps.log,
    });
  }

  get connected(): boolean {
    return this.link?.connected ?? false;
  }

  send<T>(route: Route<T, 'node'>, payload: T): Promise<void> {
    return this.link ? this.link.send(route, payload) : Promise.reject(new Error('no hub link'));
  }

  /** The hub link, once it exists. */
  useLink(link: RelayLink): void {
    this.link = link;
  }

  /** What the hub link tells the relay. */
  readonly hooks = {
    receive: (topic: string, payload: Buffer) => {
      this.relay.receive(topic, payload);
      this.server.receive(topic, payload);
    },
    up: () => {
      this.server.linkUp();
      this.relay.linkUp();
    },
    down: () => this.relay.linkDown(),
  };

  /** The node's pod CIDR (its first host is the bridge's address pods route through). */
  usePodCidr(podCidr: string | undefined): void {
    this.podGateway = podCidr ? firstHost(podCidr) : undefined;
    this.pointProxy();
  }

  async start(): Promise<void> {
    await this.server.start();
    this.pointProxy();
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** Once listening and the pod network is known, the `kubernetes` ClusterIP leads here. */
  private pointProxy(): void {
    const port = this.server.port;
    if (!this.deps.proxy) return;
    this.deps.proxy.setApiRelay(port && this.podGateway ? { ip: this.podGateway, port } : undefined);
  }
}
