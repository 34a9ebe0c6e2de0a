// Hands out addresses from an IPv4 CIDR, never the same one twice while it is held
// (the service ClusterIP allocator; network and broadcast addresses are never given out).
export class IpAllocator {
  readonly cidr: string;
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();
  private next = 0;

  constructor(cidr: string) {
    const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
    const prefix = Number(match?.[2]);
    if (!match || prefix < 8 || prefix > 30)
      throw new Error(`invalid IPv4 CIDR ${JSON.stringify(cidr)}: want a.b.c.d/8..30`);
    const addr = ipToNumber(match[1]!);
    if (addr === undefined) throw new Error(`invalid IPv4 CIDR ${JSON.stringify(cidr)}`);
    this.cidr = cidr;
    this.size = 2 ** (32 - prefix);
    this.base = addr - (addr % this.size);
  }

  contains(ip: string): boolean {
    const n = ipToNumber(ip);
    return n !== undefined && n > this.base && n < this.base + this.size - 1;
  }

  /** Reserves a specific address; false when it is outside the range or taken. */
  reserve(ip: string): boolean {
    if (!this.contains(ip)) return false;
    const offset = ipToNumber(ip)! - this.base;
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
        return numberToIp(this.base + offset);
      }
    }
    return undefined;
  }

  release(ip: string): void {
    const n = ipToNumber(ip);
    if (n !== undefined) this.used.delete(n - this.base);
  }

  /** The first usable address, by convention the `kubernetes` service's ClusterIP. */
  firstAddress(): string {
    return numberToIp(this.base + 1);
  }
}

export function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    n = n * 256 + Number(part);
  }
  return n;
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
