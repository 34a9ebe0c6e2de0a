// Pod CIDRs carved out of the cluster CIDR, one block of /maskSize per node (kube's cidrset
// for the range allocator): a block is never handed out twice while held, allocation goes on
// after the last block given (so a released block is reused last), IPv4.
import { formatIPv4, parseIPv4Cidr } from '../../../api/ipv4.js';

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
    const parsed = parseIPv4Cidr(clusterCIDR);
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
    this.base = parsed.first;
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
    const parsed = parseIPv4Cidr(cidr);
    if (!parsed) return undefined;
    const start = parsed.first - this.base;
    const end = parsed.last - this.base;
    if (start < 0 || end >= this.capacity * this.blockSize) return undefined;
    return { first: Math.floor(start / this.blockSize), last: Math.floor(end / this.blockSize) };
  }
}
