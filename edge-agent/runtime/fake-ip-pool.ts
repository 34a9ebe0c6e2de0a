// Pod IPs for FakeRuntime: the lowest free host address of a /24, .2 to .254 (.1 is the
// bridge's, as with CNI's host-local IPAM and a gateway of .1).
import { RuntimeError } from './container-runtime.js';

export class FakeIpPool {
  private readonly prefix: string;
  private readonly used = new Set<string>();

  constructor(readonly cidr: string) {
    const match = /^(\d{1,3}\.\d{1,3}\.\d{1,3})\.0\/24$/.exec(cidr);
    if (!match?.[1]) throw new Error(`podCidr must be a /24 such as 10.88.0.0/24, got '${cidr}'`);
    this.prefix = match[1];
  }

  allocate(): string {
    for (let host = 2; host < 255; host++) {
      const ip = `${this.prefix}.${host}`;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
    throw new RuntimeError('Unknown', `RunPodSandbox: no IP addresses available in ${this.cidr}`);
  }

  release(ip: string | undefined): void {
    if (ip) this.used.delete(ip);
  }
}
