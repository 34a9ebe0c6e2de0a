// FakeRuntime's container stats: what a test set with setUsage() (default: idle, 1 MiB), for the
// running containers, with the CPU time that usage adds up to since the container started.
import type { ContainerStats } from './container-runtime.js';
import type { ContainerRecord } from './fake-records.js';

export interface FakeUsage {
  nanoCores: number;
  memoryBytes: number;
}

const idle: FakeUsage = { nanoCores: 0, memoryBytes: 1024 * 1024 };

export class FakeContainerStats {
  private readonly usage = new Map<string, FakeUsage>();

  set(id: string, usage: FakeUsage): void {
    this.usage.set(id, { ...usage });
  }

  of(records: ContainerRecord[], podSandboxId: string | undefined, now: number): ContainerStats[] {
    return records
      .filter((r) => r.status.state === 'RUNNING')
      .filter((r) => !podSandboxId || r.status.podSandboxId === podSandboxId)
      .map(({ status }) => {
        const usage = this.usage.get(status.id) ?? idle;
        return {
          id: status.id,
          name: status.name,
          labels: { ...status.labels },
          timestamp: now,
          cpuUsageCoreNanoSeconds: Math.round((usage.nanoCores * Math.max(0, now - status.startedAt)) / 1000),
          cpuUsageNanoCores: usage.nanoCores,
          memoryWorkingSetBytes: usage.memoryBytes,
        };
      });
  }
}
