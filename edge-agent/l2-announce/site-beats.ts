// The gateways of a site hearing each other on the plant network, without the hub: each one that
// has LoadBalancer addresses to consider broadcasts a small UDP beat on the networks of those
// addresses every beatMs, saying which addresses it can serve; a gateway not heard for deadMs is
// taken as gone (power cut, crash, link down). This is what makes failover work with the site cut
// off from the hub. A beat is JSON {v, node, serves, held}, a few dozen bytes plus the addresses:
// `held` lets the rightful holder notice another gateway that holds its address too (after a
// partition heals, or a peer that missed its beats for a moment) and announce it again.
// Beats are not authenticated: anything on the plant network can also answer ARP for any
// address, so a key would not make layer-2 announcement safer than the network it runs on.
import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from '../../api/logger.js';

export const defaultBeatPort = 7473;
/**
 * 2 s of silence is 8 missed beats: on a loaded 2-core gateway the agent's event loop was seen to
 * stall for 1.6 s, and taking a live peer for gone makes two gateways announce one address.
 */
export const beatTiming = { beatMs: 250, deadMs: 2000 };

interface Beat {
  v: 1;
  node: string;
  serves: string[];
  held: string[];
}

export interface Peer {
  serves: Set<string>;
  held: Set<string>;
}

function parseBeat(message: Buffer): Beat | undefined {
  try {
    const beat = JSON.parse(message.toString('utf8')) as Partial<Beat>;
    if (beat.v !== 1 || typeof beat.node !== 'string' || !Array.isArray(beat.serves)) return undefined;
    const held = Array.isArray(beat.held) ? beat.held : [];
    if (![...beat.serves, ...held].every((a) => typeof a === 'string')) return undefined;
    return { ...(beat as Beat), held };
  } catch {
    return undefined;
  }
}

export interface SiteBeatsOptions {
  self: string;
  port: number;
  timing?: typeof beatTiming;
  log: Logger;
  /** A peer appeared, changed what it serves, or is gone: elect again. */
  changed: () => void;
}

export class SiteBeats {
  private socket: Socket | undefined;
  private readonly heard = new Map<string, Peer & { at: number }>();
  readonly timing: typeof beatTiming;
  /** Beats sent (for figures). */
  sent = 0;

  constructor(private readonly options: SiteBeatsOptions) {
    this.timing = options.timing ?? beatTiming;
  }

  async start(): Promise<void> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    socket.on('message', (message) => this.receive(message));
    socket.on('error', (err) => this.options.log.info(`beat socket: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port, () => {
        socket.off('error', reject);
        socket.setBroadcast(true);
        resolve();
      });
    });
    this.socket = socket;
  }

  stop(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  /** Broadcasts one beat to each of `broadcasts` (the networks of the addresses considered). */
  send(broadcasts: readonly string[], serves: Iterable<string>, held: Iterable<string>): void {
    const socket = this.socket;
    if (!socket) return;
    const beat: Beat = { v: 1, node: this.options.self, serves: [...serves], held: [...held] };
    const payload = Buffer.from(JSON.stringify(beat));
    for (const address of broadcasts) {
      this.sent++;
      socket.send(payload, this.options.port, address, (err) => {
        if (err) this.options.log.info(`beat to ${address}: ${err.message}`);
      });
    }
  }

  /** Peers heard within deadMs, with what each serves; forgets the others. */
  alive(now = Date.now()): Map<string, Peer> {
    const out = new Map<string, Peer>();
    for (const [node, entry] of this.heard) {
      if (now - entry.at > this.timing.deadMs) {
        this.heard.delete(node);
        this.options.log.warn(`${node} not heard for ${now - entry.at} ms: taken as gone`);
      } else out.set(node, entry);
    }
    return out;
  }

  private receive(message: Buffer): void {
    const beat = parseBeat(message);
    if (!beat || beat.node === this.options.self) return;
    const before = this.heard.get(beat.node);
    if (!before) this.options.log.info(`${beat.node} heard on the plant network`);
    const peer = { at: Date.now(), serves: new Set(beat.serves), held: new Set(beat.held) };
    this.heard.set(beat.node, peer);
    if (!before || !sameSet(before.serves, peer.serves) || !sameSet(before.held, peer.held))
      this.options.changed();
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
