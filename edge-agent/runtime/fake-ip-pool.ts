// Pod IPs for FakeRuntime, as CNI's host-local IPAM hands them out on the bridge the agent
// configures for the Node's pod CIDR: the first host address is the bridge's (the gateway), pods
// get the others up to the one before the broadcast address, each time the next free one after
// the last handed out, wrapping around at the end of the range (host-local's allocator), so an
// address just released (sandbox stopped or removed) is not reused at once.
import { formatIPv4, parseIPv4, parseIPv4Cidr } from '../../api/ipv4.js';
import { podCidrProblem } from '../../api/mqtt/payloads/desired-state.js';
import { RuntimeError } from './container-runtime.js';

export class FakeIpPool {
  private readonly network: number;
  private readonly size: number;
  private readonly used = new Set<number>();
  /** The host number handed out last (1, the bridge's, before the first). */
  private last = 1;

  constructor(readonly cidr: string) {
    const problem = podCidrProblem(cidr);
    if (problem) throw new Error(`podCidr ${problem}, got '${cidr}'`);
    const { first, size } = parseIPv4Cidr(cidr)!;
    this.size = size;
    this.network = first;
  }

  allocate(): string {
    const hosts = this.size - 3; // without the network, the bridge and the broadcast address
    for (let i = 1; i <= hosts; i++) {
      const host = ((this.last - 2 + i) % hosts) + 2;
      if (this.used.has(host)) continue;
      this.used.add(host);
      this.last = host;
      return formatIPv4(this.network + host);
    }
    throw new RuntimeError('Unknown', `RunPodSandbox: no IP addresses available in ${this.cidr}`);
  }

  release(ip: string | undefined): void {
    if (!ip) return;
    const host = (parseIPv4(ip) ?? Number.NaN) - this.network;
    if (host > 0 && host < this.size) this.used.delete(host);
  }
}
