// A PodManager on a FakeRuntime with a fake clock, recording every status and event it reports,
// for tests that check the resulting state after sync passes (no timers: tests call sync()).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../api/clock.js';
import type { DesiredState } from '../../../api/mqtt/payloads/desired-state.js';
import type { PodStatus, PodStatusItem } from '../../../api/mqtt/payloads/pod-status.js';
import { PodManager, type PodManagerOptions } from '../../../edge-agent/pods/pod-manager.js';
import type { PodEventReport } from '../../../edge-agent/pods/pod-manager-contract.js';
import type { ContainerStatus } from '../../../edge-agent/runtime/container-runtime.js';
import { FakeRuntime, type FakeRuntimeOptions } from '../../../edge-agent/runtime/fake-runtime.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { BUSYBOX } from './pod-builders.js';

export class FakeClock implements Clock {
  constructor(public ms = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export type HarnessOptions = Partial<Omit<PodManagerOptions, 'runtime' | 'clock' | 'reports' | 'dataDir'>> & {
  runtime?: FakeRuntimeOptions;
};

export class PodHarness {
  readonly clock = new FakeClock();
  readonly runtime: FakeRuntime;
  readonly statuses: PodStatusItem[] = [];
  readonly events: PodEventReport[] = [];
  readonly logs: string[] = [];
  manager: PodManager;
  private desired: DesiredState | undefined;

  constructor(
    readonly dataDir: string,
    private readonly options: HarnessOptions,
  ) {
    this.runtime = new FakeRuntime({ now: () => this.clock.ms, images: [BUSYBOX], ...options.runtime });
    this.manager = this.newManager();
  }

  /** A new agent on the same runtime and data dir, as after an agent restart. */
  newManager(): PodManager {
    const { runtime: _runtime, ...rest } = this.options;
    const manager = new PodManager({
      nodeName: 'gw1',
      hostIP: '172.31.0.11',
      log: captureLogger(this.logs),
      crashBackoff: { initialMs: 10_000, maxMs: 300_000 },
      ...rest,
      runtime: this.runtime,
      clock: this.clock,
      dataDir: this.dataDir,
      reports: { podStatus: (item) => this.statuses.push(item), event: (event) => this.events.push(event) },
    });
    if (this.desired) manager.setDesired(this.desired);
    this.manager = manager;
    return manager;
  }

  setDesired(state: DesiredState): void {
    this.desired = state;
    this.manager.setDesired(state);
  }

  async sync(passes = 1): Promise<void> {
    for (let i = 0; i < passes; i++) await this.manager.syncOnce();
  }

  /** The last reported status of a pod. */
  status(name: string): PodStatus {
    const item = this.statuses.filter((s) => s.name === name).at(-1);
    if (!item) throw new Error(`no status reported for ${name}`);
    return item.status;
  }

  container(podName: string, containerName = 'app'): any {
    const status = this.status(podName);
    const all = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
    return all.find((c) => c.name === containerName);
  }

  async runtimeContainers(name?: string): Promise<ContainerStatus[]> {
    const all = await this.runtime.listContainers();
    return name === undefined ? all : all.filter((c) => c.name === name);
  }

  async running(name: string): Promise<ContainerStatus> {
    const found = (await this.runtimeContainers(name)).find((c) => c.state === 'RUNNING');
    if (!found) throw new Error(`no running container ${name}`);
    return found;
  }

  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }

  async cleanup(): Promise<void> {
    await this.manager.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

export async function aHarness(options: HarnessOptions = {}): Promise<PodHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'flotilla-pods-'));
  return new PodHarness(dataDir, options);
}
