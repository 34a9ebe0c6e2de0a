// Holding an address on the plant network: the address as a /32 on the interface whose network
// contains it (the kernel then answers ARP for it), announced with gratuitous ARP (`arping -U`,
// iputils-arping: Node cannot send ARP without a raw socket) so the switches and the PLCs move it
// to this gateway's MAC at once rather than when their ARP entries expire; and letting it go.
// Level-based: the /32s on the interfaces that are load-balancer addresses are compared with the
// addresses to hold, so what a previous run of the agent left is cleaned up too.
import { networkInterfaces } from 'node:os';
import { formatIPv4, parseIPv4, parseIPv4Cidr, prefixOfNetmask } from '../../api/ipv4.js';
import type { Logger } from '../../api/logger.js';
import type { CommandRunner } from '../proxy/run-command.js';

/** Gratuitous ARPs sent on each takeover: two, as one can be lost. */
export const garpCount = 2;

export interface PlantInterface {
  name: string;
  /** The interface's own address and prefix, e.g. 172.31.0.11/24. */
  cidr: string;
  broadcast: string;
}

/** The interfaces with an IPv4 network (not /32s, not loopback) containing each address. */
export function interfacesFor(addresses: Iterable<string>): Map<string, PlantInterface> {
  const networks: PlantInterface[] = [];
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const entry of list ?? []) {
      if (entry.family !== 'IPv4' || entry.internal) continue;
      const prefix = prefixOfNetmask(entry.netmask) ?? 0;
      if (prefix >= 31) continue;
      const range = parseIPv4Cidr(`${entry.address}/${prefix}`)!;
      networks.push({ name, cidr: `${entry.address}/${prefix}`, broadcast: formatIPv4(range.last) });
    }
  }
  const out = new Map<string, PlantInterface>();
  for (const address of addresses) {
    const value = parseIPv4(address);
    const found = networks.find((n) => {
      const range = parseIPv4Cidr(n.cidr)!;
      return value !== undefined && value > range.first && value < range.last;
    });
    if (found) out.set(address, found);
  }
  return out;
}

/**
 * The label held addresses carry (`eth0:lb`), so that the agent recognises its own after a
 * restart, when the Service that wanted one may be gone. Labels are limited to 15 characters: an
 * interface with a longer name gets no label, and only the addresses of known Services are let go.
 */
const labelSuffix = ':lb';
const labelFor = (device: string) =>
  device.length + labelSuffix.length <= 15 ? `${device}${labelSuffix}` : undefined;

export interface HeldAddress {
  device: string;
  /** Added by the agent (it carries the label). */
  labelled: boolean;
}

/** The /32 addresses now on an interface, by address. */
export function heldNow(): Map<string, HeldAddress> {
  const out = new Map<string, HeldAddress>();
  for (const [name, list] of Object.entries(networkInterfaces()))
    for (const entry of list ?? [])
      if (entry.family === 'IPv4' && entry.netmask === '255.255.255.255' && !entry.internal) {
        const labelled = name.endsWith(labelSuffix);
        out.set(entry.address, { device: labelled ? name.slice(0, -labelSuffix.length) : name, labelled });
      }
  return out;
}

export class AddressClaims {
  /** Gratuitous ARPs sent (for figures). */
  garps = 0;

  constructor(
    private readonly run: CommandRunner,
    private readonly log: Logger,
  ) {}

  async hold(address: string, device: string): Promise<void> {
    const label = labelFor(device);
    await this.run([
      'ip',
      'addr',
      'replace',
      `${address}/32`,
      'dev',
      device,
      ...(label ? ['label', label] : []),
    ]);
    this.log.info(`holding ${address} on ${device}`);
    this.announce(address, device);
  }

  /** Gratuitous ARP for an address held: every neighbour moves its entry to this gateway's MAC. */
  announce(address: string, device: string): void {
    // Unsolicited ARP (-U), from the address itself: every neighbour updates its entry.
    this.garps += garpCount;
    // Not awaited: the second one goes a second later, and other takeovers must not wait for it.
    void this.run(['arping', '-q', '-U', '-c', String(garpCount), '-w', '2', '-I', device, address]).catch(
      (err: Error) => this.log.info(`gratuitous ARP for ${address}: ${err.message}`),
    );
  }

  async release(address: string, device: string): Promise<void> {
    await this.run(['ip', 'addr', 'del', `${address}/32`, 'dev', device]).catch((err: Error) => {
      if (!/Cannot assign|not found/i.test(err.message)) throw err;
    });
    this.log.info(`released ${address} on ${device}`);
  }
}
