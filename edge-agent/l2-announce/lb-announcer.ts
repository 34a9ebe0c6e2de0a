import type { Logger } from '../../api/logger.js';
// Layer-2 announcement of LoadBalancer addresses (MetalLB's layer-2 mode, decided on site): every
// beatMs the gateway tells its site which addresses it can serve (site-beats.ts), works out from
// what it hears which ones it must hold (holder-election.ts), and adds or removes them on its
// plant interface (address-claims.ts). Inputs are the Services and EndpointSlices the agent
// already keeps for its service proxy, from local state too: all of it works with the hub gone.
// Beats go out on their own timer, whatever the election is doing (a slow `ip` must not silence
// a gateway). Timing: a holder that dies is missed after deadMs (2 s) and the next one holds the
// address within one beat after that, so failover takes about 2-2.5 s plus the ARP update.
// Split brain: after start a gateway only listens for deadMs before it holds anything, so it
// learns its peers before it competes. Two gateways that cannot hear each other (a cut plant
// network, or beats lost for deadMs) both hold an address; once they hear each other again both
// compute the same holder, the other lets go within one beat, and the holder, seeing in the
// other's beat that it held the address too, announces it again so that clients that followed
// the other one's ARP come back. Overlap is thus bounded by the partition plus one beat.
import type { KubeObject } from '../../api/types.js';
import type { CommandRunner } from '../proxy/run-command.js';
import { AddressClaims, heldNow, interfacesFor } from './address-claims.js';
import {
  type AnnouncedAddress,
  addressesToHold,
  announcedAddresses,
  servicesReadyOn,
} from './holder-election.js';
import { SiteBeats } from './site-beats.js';

export interface LbAnnouncerOptions {
  nodeName: string;
  port: number;
  run: CommandRunner;
  log: Logger;
}

export class LbAnnouncer {
  private services: readonly KubeObject[] = [];
  private slices: readonly KubeObject[] = [];
  private readonly beats: SiteBeats;
  private readonly claims: AddressClaims;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private syncing: Promise<void> | undefined;
  private again = false;
  private lastProblem = '';
  /** What the last election found: sent in every beat. */
  private beat = { broadcasts: [] as string[], serves: new Set<string>(), held: new Set<string>() };
  /** When each address was last announced again because a peer held it too (at most once a second). */
  private readonly reannounced = new Map<string, number>();
  /**
   * The last pass had no address for this gateway and left none of ours held: the passes after it
   * skip reading the interfaces (twice per beat, four beats a second) until the Services change.
   */
  private idle = false;

  constructor(private readonly options: LbAnnouncerOptions) {
    this.beats = new SiteBeats({
      self: options.nodeName,
      port: options.port,
      log: options.log,
      changed: () => this.kick(),
    });
    this.claims = new AddressClaims(options.run, options.log);
  }

  async start(): Promise<void> {
    await this.beats.start();
    this.startedAt = Date.now();
    this.timer = setInterval(() => {
      this.beats.send(this.beat.broadcasts, this.beat.serves, this.beat.held);
      this.kick();
    }, this.beats.timing.beatMs);
  }

  /** Same input as the service proxy's; never throws. */
  setDesired(input: { services: readonly KubeObject[]; endpointSlices: readonly KubeObject[] }): void {
    this.services = input.services;
    this.slices = input.endpointSlices;
    this.idle = false;
    this.kick();
  }

  /** Stops beating; the addresses held are let go, so the others take them over at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.syncing;
    this.beats.stop();
    const addresses = announcedAddresses(this.services).map((a) => a.address);
    for (const [address, { device, labelled }] of heldNow())
      if (labelled || addresses.includes(address)) await this.claims.release(address, device).catch(() => {});
  }

  get counters(): { beats: number; garps: number } {
    return { beats: this.beats.sent, garps: this.claims.garps };
  }

  private kick(): void {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = this.sync()
      .catch((err: Error) => {
        if (err.message !== this.lastProblem) this.options.log.info(`${err.message}`);
        this.lastProblem = err.message;
      })
      .finally(() => {
        this.syncing = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async sync(): Promise<void> {
    const self = this.options.nodeName;
    const addresses = announcedAddresses(this.services).filter((a) => a.announcers.includes(self));
    if (this.idle && addresses.length === 0) return;
    const devices = interfacesFor(addresses.map((a) => a.address));
    const readyHere = servicesReadyOn(this.slices, self);
    const serves = new Set(addresses.filter((a) => canServe(a, devices, readyHere)).map((a) => a.address));
    const broadcasts = [...new Set([...devices.values()].map((d) => d.broadcast))];
    this.beat = { broadcasts, serves, held: this.beat.held };
    const listening = Date.now() - this.startedAt < this.beats.timing.deadMs;
    const peers = this.beats.alive();
    const serving = new Map([...peers].map(([node, peer]) => [node, peer.serves]));
    const hold = listening
      ? new Set<string>()
      : addressesToHold({ self, addresses, selfServes: serves, peers: serving });
    const held = heldNow();
    const now = Date.now();
    for (const address of hold) {
      const device = devices.get(address);
      if (!device) continue;
      const contested = [...peers.values()].some((peer) => peer.held.has(address));
      if (held.get(address)?.device !== device.name) await this.claims.hold(address, device.name);
      else if (contested && now - (this.reannounced.get(address) ?? 0) > 1000) {
        this.reannounced.set(address, now);
        this.claims.announce(address, device.name);
      }
    }
    this.beat = { broadcasts, serves, held: hold };
    if (listening) return;
    // Let go of what is ours (labelled, or a load-balancer address) and not to be held.
    const known = new Set(announcedAddresses(this.services).map((a) => a.address));
    for (const [address, { device, labelled }] of held)
      if ((labelled || known.has(address)) && !hold.has(address)) await this.claims.release(address, device);
    this.idle = addresses.length === 0;
  }
}

function canServe(
  address: AnnouncedAddress,
  devices: ReadonlyMap<string, unknown>,
  readyHere: ReadonlySet<string>,
): boolean {
  return devices.has(address.address) && (!address.local || readyHere.has(address.service));
}
