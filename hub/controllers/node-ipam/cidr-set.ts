// Pod CIDRs carved out of the cluster CIDR, one block of /maskSize per node (kube's cidrset
// for the range allocator): a block is never handed out twice while held, allocation goes on
// after the last block given (so a released block is reused last), IPv4.

function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function parseCIDR(cidr: string): { base: number; prefix: number } | undefined {
  const [ip = '', prefixText = ''] = cidr.split('/');
  const address = parseIPv4(ip);
  const prefix = Number(prefixText);
  if (address === undefined || !/^\d{1,2}$/.test(prefixText) || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: address - (address % size), prefix };
}

export class CidrSet {
  private readonly base: number;
  private readonly blockSize: number;
  readonly capacity: number;
  private readonly used = new Set<number>();
  private next = 0;

  /** Throws on a configuration that cannot work, so a bad flag fails at boot. */
  constructor(
    readonly clusterCIDR: string,
    readonly maskSize: number,
  ) {
    const parsed = parseCIDR(clusterCIDR);
    if (!parsed)
      throw new Error(
        `invalid cluster CIDR ${JSON.stringify(clusterCIDR)}: want an IPv4 CIDR such as 10.42.0.0/16`,
      );
    if (!Number.isInteger(maskSize) || maskSize < parsed.prefix || maskSize > 30) {
      throw new Error(
        `invalid node CIDR mask size ${maskSize}: must be between /${parsed.prefix} and /30 for ${clusterCIDR}`,
      );
    }
    if (maskSize - parsed.prefix > 16) {
      throw new Error(
        `node CIDR mask size /${maskSize} would cut ${clusterCIDR} into more than 65536 blocks`,
      );
    }
    this.base = parsed.base;
    this.blockSize = 2 ** (32 - maskSize);
    this.capacity = 2 ** (maskSize - parsed.prefix);
  }

  /** The next free block, or undefined when the cluster CIDR is full. */
  allocate(): string | undefined {
    for (let i = 0; i < this.capacity; i++) {
      const index = (this.next + i) % this.capacity;
      if (this.used.has(index)) continue;
      this.used.add(index);
      this.next = (index + 1) % this.capacity;
      return `${formatIPv4(this.base + index * this.blockSize)}/${this.maskSize}`;
    }
    return undefined;
  }

  /** Marks the blocks a CIDR covers as taken; false when it lies outside the cluster CIDR. */
  occupy(cidr: string): boolean {
    const range = this.blockRange(cidr);
    if (!range) return false;
    for (let i = range.first; i <= range.last; i++) this.used.add(i);
    return true;
  }

  release(cidr: string): void {
    const range = this.blockRange(cidr);
    if (!range) return;
    for (let i = range.first; i <= range.last; i++) this.used.delete(i);
  }

  isTaken(cidr: string): boolean {
    const range = this.blockRange(cidr);
    return range !== undefined && this.used.has(range.first);
  }

  private blockRange(cidr: string): { first: number; last: number } | undefined {
    const parsed = parseCIDR(cidr);
    if (!parsed) return undefined;
    const start = parsed.base - this.base;
    const end = start + 2 ** (32 - parsed.prefix) - 1;
    if (start < 0 || end >= this.capacity * this.blockSize) return undefined;
    return { first: Math.floor(start / this.blockSize), last: Math.floor(end / this.blockSize) };
  }
}
