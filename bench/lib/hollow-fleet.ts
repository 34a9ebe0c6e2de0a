// N hollow gateways in one process, started at a bounded rate (a fleet powering up does not
// connect all at once, and the benchmark must not measure a thundering herd it made itself).
// Each has its own name, node key, TLS connection, persistent session and InternalIP.
import { parseJoinString } from '../../api/mqtt/join-string.js';
import { type HollowCounters, HollowGateway, noCounters } from './hollow-gateway.js';

export interface HollowFleetOptions {
  gateways: number;
  /** Gateways starting to connect per second (default 100). */
  joinRate?: number;
  /**
   * Gateways per site: each registers `flotilla.io/site: site-<k>`, so a site is a pod-route
   * segment of this many (a plant hall). 0 or absent: no label, the segment is the /24 of the
   * InternalIP, 256 gateways each.
   */
  gatewaysPerSite?: number;
  mqttUrl: string;
  /** The hub's join string, `<token>::sha256:<hex>`. */
  joinString: string;
  /** Node names are `<prefix><index>` (default `hollow-`). */
  prefix?: string;
  log?: (line: string) => void;
}

export interface FleetTotals extends HollowCounters {
  gateways: number;
  connected: number;
  pods: number;
  podStarts: number;
  /** Starts of pods started before (hollow-desired.ts podRestarts). */
  podRestarts: number;
}

/** 10.128.0.1, 10.128.0.2, …: distinct per gateway, outside the default cluster and service CIDRs. */
export function hollowInternalIP(index: number): string {
  const n = index + 1;
  return `10.${128 + Math.floor(n / 65_536)}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

export class HollowFleet {
  readonly gateways: HollowGateway[] = [];
  private readonly started: Promise<void>[] = [];
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: HollowFleetOptions) {
    const parsed = parseJoinString(options.joinString);
    if (!parsed.ok || !parsed.value.caCertHash)
      throw new Error('hollow fleet: need a join string with a CA pin');
    const url = new URL(options.mqttUrl);
    for (let i = 0; i < options.gateways; i++) {
      this.gateways.push(
        new HollowGateway({
          name: `${options.prefix ?? 'hollow-'}${i}`,
          internalIP: hollowInternalIP(i),
          mqttUrl: url,
          joinToken: parsed.value.token,
          caPin: parsed.value.caCertHash,
          ...(options.gatewaysPerSite ? { site: `site-${Math.floor(i / options.gatewaysPerSite)}` } : {}),
        }),
      );
    }
  }

  get names(): string[] {
    return this.gateways.map((_, i) => `${this.options.prefix ?? 'hollow-'}${i}`);
  }

  /** Starts every gateway at the join rate; resolves once all have started connecting. */
  async start(): Promise<void> {
    const intervalMs = 1_000 / (this.options.joinRate ?? 100);
    const t0 = Date.now();
    for (const [i, gateway] of this.gateways.entries()) {
      if (this.stopped) return;
      const due = t0 + i * intervalMs - Date.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
      this.started.push(
        gateway.start().catch((err: Error) => {
          this.failures++;
          if (this.failures <= 5) this.options.log?.(`hollow gateway ${i} gave up: ${err.message}`);
        }),
      );
    }
  }

  totals(): FleetTotals {
    const totals: FleetTotals = {
      gateways: this.gateways.length,
      connected: 0,
      pods: 0,
      podStarts: 0,
      podRestarts: 0,
      ...noCounters(),
    };
    for (const gw of this.gateways) {
      if (gw.connected) totals.connected++;
      totals.pods += gw.desired.podCount;
      totals.podStarts += gw.desired.podStarts;
      totals.podRestarts += gw.desired.podRestarts;
      totals.desiredMessages += gw.counters.desiredMessages;
      totals.desiredBytes += gw.counters.desiredBytes;
      totals.connects += gw.counters.connects;
      totals.attempts += gw.counters.attempts;
      totals.routeMessages += gw.counters.routeMessages;
      totals.lastConnectAt = Math.max(totals.lastConnectAt, gw.counters.lastConnectAt);
      totals.wireBytes += gw.wireBytes;
    }
    return totals;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.gateways.map((gw) => gw.stop().catch(() => {})));
  }
}
