// Hands out addresses from an IPv4 CIDR, never the same one twice while it is held
// (the service ClusterIP allocator; network and broadcast addresses are never given out).
import { formatIPv4, parseIPv4, parseIPv4Cidr } from '../../../api/ipv4.js';

export class IpAllocator {
  readonly cidr: string;
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();
  private next = 0;

  constructor(cidr: string) {
    const parsed = parseIPv4Cidr(cidr);
    if (!parsed || parsed.prefix < 8 || parsed.prefix > 30)
      throw new Error(`invalid IPv4 CIDR ${JSON.stringify(cidr)}: want a.b.c.d/8..30`);
    this.cidr = cidr;
    this.size = parsed.size;
    this.base = parsed.first;
  }

  contains(ip: string): boolean {
    const n = parseIPv4(ip);
    return n !== undefined && n > this.base && n < this.base + this.size - 1;
  }

  /** Reserves a specific address; false when it is outside the range or taken. */
  reserve(ip: string): boolean {
    if (!this.contains(ip)) return false;
    const offset = parseIPv4(ip)! - this.base;
    if (this.used.has(offset)) return false;
    this.used.add(offset);
    return true;
  }

  /** The next free address after the last one handed out, or undefined when full. */
  allocate(): string | undefined {
    const usable = this.size - 2;
    for (let i = 0; i < usable; i++) {
      const offset = 1 + ((this.next + i) % usable);
      if (!this.used.has(offset)) {
        this.used.add(offset);
        this.next = offset;
        return formatIPv4(this.base + offset);
      }
    }
    return undefined;
  }

  release(ip: string): void {
    const n = parseIPv4(ip);
    if (n !== undefined) this.used.delete(n - this.base);
  }

  /** The first usable address, by convention the `kubernetes` service's ClusterIP. */
  firstAddress(): string {
    return formatIPv4(this.base + 1);
  }
}
