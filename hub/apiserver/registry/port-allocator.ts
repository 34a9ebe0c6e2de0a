// Hands out NodePorts from a range (default 30000-32767), each held by one service port.
export class PortAllocator {
  readonly min: number;
  readonly max: number;
  private readonly used = new Set<number>();
  private next: number;

  constructor(range: string) {
    const match = /^(\d+)-(\d+)$/.exec(range);
    const min = Number(match?.[1]);
    const max = Number(match?.[2]);
    if (!match || min < 1 || max > 65535 || min > max) {
      throw new Error(`invalid port range ${JSON.stringify(range)}: want MIN-MAX within 1-65535`);
    }
    this.min = min;
    this.max = max;
    this.next = min;
  }

  contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.min && port <= this.max;
  }

  reserve(port: number): boolean {
    if (!this.contains(port) || this.used.has(port)) return false;
    this.used.add(port);
    return true;
  }

  allocate(): number | undefined {
    const span = this.max - this.min + 1;
    for (let i = 0; i < span; i++) {
      const port = this.min + ((this.next - this.min + i) % span);
      if (!this.used.has(port)) {
        this.used.add(port);
        this.next = port + 1 > this.max ? this.min : port + 1;
        return port;
      }
    }
    return undefined;
  }

  release(port: number): void {
    this.used.delete(port);
  }
}
