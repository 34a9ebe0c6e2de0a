import type { Logger } from '../../api/logger.js';
// The agent's service DNS, wired: the address on flotilla-dns0, the responder on it (port 53),
// the record table from each applied desired state, the forwarder to the host's resolvers,
// and the settings pods get their resolv.conf from. With a simulated runtime (fake, or an
// instance a test owns) it is off unless asked for, so agents on the host's network namespace
// in tests neither bind port 53 nor add interfaces.

import { isIP } from 'node:net';
import { nextBackoffDelay } from '../../api/backoff.js';
import type { AgentDesired } from '../../api/mqtt/payloads/desired-state.js';
import type { AgentObserver } from '../metrics/agent-observer.js';
import { defaultClusterDns, defaultClusterDomain, defaultResolvConf } from './dns-flags.js';
import { DnsForwarder, type Upstream } from './dns-forwarder.js';
import { ensureDnsInterface, removeDnsInterface } from './dns-interface.js';
import { type DnsRecords, dnsRecords } from './dns-records.js';
import { DnsServer } from './dns-server.js';
import type { PodDnsSettings } from './pod-dns-config.js';
import { HostResolvConf } from './resolv-conf.js';

export interface ClusterDnsOptions {
  /** kubelet --cluster-domain; default cluster.local. */
  clusterDomain?: string;
  /** The address pods query, or "none". Default 169.254.20.10 with a real runtime, none otherwise. */
  clusterDns?: string;
  /** The host resolver configuration: upstreams, and what dnsPolicy Default pods inherit. */
  resolvConf?: string;
  /** Default 53, the only port a resolv.conf can name; 0 (tests) takes a free one. */
  port?: number;
  /** Put the address on flotilla-dns0 first; default yes, unless it is a loopback address. */
  createInterface?: boolean;
  /** Per upstream exchange; default 2000 ms. */
  upstreamTimeoutMs?: number;
  /** After a failed start (port 53 taken, no `ip`), the first retry; default 5000 ms, doubling to 60 s. */
  retryMs?: number;
  /** Counts the queries answered (the agent's metrics). */
  observer?: AgentObserver | undefined;
}

export class ClusterDns {
  readonly podDns: PodDnsSettings;
  /** Where the responder listens; undefined when it is off. */
  readonly address: string | undefined;
  private records: DnsRecords;
  private server: DnsServer | undefined;
  private retry: NodeJS.Timeout | undefined;
  private nextRetryMs: number;
  private lastFailure: string | undefined;
  private stopped = false;
  private starting: Promise<void> | undefined;
  /** flotilla-dns0 was set up by this agent: stop() removes it. */
  private ownsInterface = false;
  private readonly host: HostResolvConf;
  private readonly forwarder: DnsForwarder;

  constructor(
    private readonly options: ClusterDnsOptions,
    realRuntime: boolean,
    private readonly log: Logger,
  ) {
    const domain = options.clusterDomain ?? defaultClusterDomain;
    const address = options.clusterDns ?? (realRuntime ? defaultClusterDns : 'none');
    this.address = address === 'none' ? undefined : address;
    this.nextRetryMs = options.retryMs ?? 5_000;
    this.host = new HostResolvConf(options.resolvConf ?? defaultResolvConf, log);
    this.records = dnsRecords([], [], domain);
    this.forwarder = new DnsForwarder({
      upstreams: () => this.upstreams(),
      ...(options.upstreamTimeoutMs ? { timeoutMs: options.upstreamTimeoutMs } : {}),
    });
    this.podDns = {
      clusterDomain: domain,
      clusterDns: this.address ? [this.address] : [],
      hostResolvConf: () => this.host.current(),
    };
  }

  /** The port the responder listens on (53, or the free one a test asked for). */
  get port(): number | undefined {
    return this.server?.port;
  }

  /** Resolves once the first attempt is over; a failed one is logged and retried, never thrown. */
  start(): Promise<void> {
    if (!this.address || this.stopped || this.server) return Promise.resolve();
    this.starting = this.attempt(this.address);
    return this.starting;
  }

  private async attempt(address: string): Promise<void> {
    try {
      if (this.options.createInterface ?? !address.startsWith('127.')) {
        const done = await ensureDnsInterface(address);
        if (!this.ownsInterface) this.log.info(`${done}`);
        this.ownsInterface = true;
      }
      const server = await DnsServer.start({
        address,
        port: this.options.port ?? 53,
        records: this.records,
        forwarder: this.forwarder,
        log: this.log,
        observer: this.options.observer,
      });
      this.server = server;
      // A desired state may have been applied while the sockets were opening.
      server.setRecords(this.records);
      const upstreams = this.upstreams().map((u) => u.address);
      this.log.warn(
        `serving ${this.podDns.clusterDomain} on ${address}:${server.port} (udp, tcp); other names go to ${upstreams.join(', ') || 'no upstream (SERVFAIL)'}`,
      );
    } catch (err) {
      // Said again only when the reason changes; the wait doubles up to a minute.
      const message = (err as Error).message;
      const retryMs = this.nextRetryMs;
      this.nextRetryMs = nextBackoffDelay(retryMs, {
        initialMs: this.options.retryMs ?? 5_000,
        maxMs: 60_000,
      });
      if (message !== this.lastFailure) {
        this.log.warn(`responder not started on ${address}: ${message}; retrying`);
        this.lastFailure = message;
      }
      this.retry = setTimeout(() => void this.start(), retryMs);
      this.retry.unref();
    }
  }

  /** The Services and EndpointSlices of an applied (or locally loaded) desired state. */
  update(state: Pick<AgentDesired, 'services' | 'endpointSlices' | 'revision'>): void {
    this.records = dnsRecords(
      state.services,
      state.endpointSlices,
      this.podDns.clusterDomain,
      state.revision,
    );
    this.server?.setRecords(this.records);
  }

  /** Pods keep running; their queries to the address fail until the next agent serves it again. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.starting;
    const server = this.server;
    this.server = undefined;
    await server?.close();
    if (this.ownsInterface) {
      this.ownsInterface = false;
      await removeDnsInterface().catch((err: Error) => this.log.info(`${err.message}`));
    }
  }

  /** The host's nameservers, never our own address (that would loop). */
  private upstreams(): Upstream[] {
    return this.host
      .current()
      .nameservers.filter((address) => isIP(address) !== 0 && address !== this.address)
      .map((address) => ({ address, port: 53 }));
  }
}
