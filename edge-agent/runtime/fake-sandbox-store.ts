// FakeRuntime's pod sandboxes: their records, their state (READY until stopped) and their IPs,
// handed out from the node's pod CIDR as CNI's host-local IPAM would (fake-ip-pool.ts).
import { RuntimeError, type SandboxConfig, type SandboxStatus } from './container-runtime.js';
import { FakeIpPool } from './fake-ip-pool.js';
import { copySandboxConfig, copySandboxStatus, type SandboxRecord } from './fake-records.js';

export class FakeSandboxStore {
  private ips: FakeIpPool;
  private readonly sandboxes = new Map<string, SandboxRecord>();

  constructor(
    podCidr: string,
    private readonly now: () => number,
  ) {
    this.ips = new FakeIpPool(podCidr);
  }

  /**
   * New sandboxes get their IPs from this range, as a CNI bridge configured for the Node's pod CIDR
   * would give them (the hub refuses pod IPs outside it); running sandboxes keep theirs.
   */
  usePodCidr(cidr: string): boolean {
    if (cidr === this.ips.cidr) return false;
    this.ips = new FakeIpPool(cidr);
    return true;
  }

  get(id: string): SandboxRecord | undefined {
    return this.sandboxes.get(id);
  }

  /** A new READY sandbox with the ID `nextId` gives, unless its name is taken (containerd's words). */
  run(config: SandboxConfig, nextId: () => string): string {
    const { name, namespace, uid, attempt } = config.metadata;
    for (const existing of this.sandboxes.values()) {
      const other = existing.status.metadata;
      if (
        other.name === name &&
        other.namespace === namespace &&
        other.uid === uid &&
        other.attempt === attempt
      ) {
        throw new RuntimeError('Unknown', `RunPodSandbox: sandbox name ${namespace}/${name} is reserved`);
      }
    }
    const id = nextId();
    const ip = config.hostNetwork ? undefined : this.ips.allocate();
    this.sandboxes.set(id, {
      config: copySandboxConfig(config),
      status: {
        id,
        metadata: { ...config.metadata },
        state: 'READY',
        createdAt: this.now(),
        ip,
        labels: { ...config.labels },
        annotations: { ...config.annotations },
      },
    });
    return id;
  }

  /** Stopped (its containers already are): NOTREADY, its IP back in the pool. */
  markStopped(record: SandboxRecord): void {
    record.status.state = 'NOTREADY';
    this.releaseIp(record);
  }

  remove(id: string): void {
    const record = this.sandboxes.get(id);
    if (!record) return;
    this.releaseIp(record);
    this.sandboxes.delete(id);
  }

  status(id: string): SandboxStatus | undefined {
    const record = this.sandboxes.get(id);
    return record ? copySandboxStatus(record.status) : undefined;
  }

  list(): SandboxStatus[] {
    return [...this.sandboxes.values()].map((record) => copySandboxStatus(record.status));
  }

  /** The config a sandbox was created with (its dnsConfig is the pod's resolv.conf). */
  config(id: string): SandboxConfig | undefined {
    const record = this.sandboxes.get(id);
    return record ? copySandboxConfig(record.config) : undefined;
  }

  private releaseIp(record: SandboxRecord): void {
    this.ips.release(record.status.ip);
    record.status.ip = undefined;
  }
}
