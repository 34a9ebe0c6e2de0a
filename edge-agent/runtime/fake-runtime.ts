// An in-memory ContainerRuntime for unit tests and simulated fleets: deterministic (IDs from a
// counter, time from an injectable clock), cheap (no I/O unless a test writes container logs),
// and faithful to what containerd 1.6 answers (checked by test/conformance/container-runtime):
// unknown IDs give NotFound or undefined, removes are idempotent, a failed start leaves an
// EXITED container with reason StartError, CreateContainer never pulls.
// This file is the CRI surface and the test hooks; every call first checks for a simulated
// outage, then goes to the part that holds what it asks about:
// - fake-sandbox-store.ts: pod sandboxes and their IPs from the node's pod CIDR;
// - fake-container-store.ts: containers and their lifecycle. A container runs its command and
//   args with the fake command set of fake-commands/ (exit codes, sleep, sh -c scripts with
//   loops, echo to the CRI log file…: fake-container-process.ts) and exits when it ends; a
//   program the set lacks fails StartContainer as runc does (StartError, exit code 128). Without
//   a command (the image's default, unknown here) or with stdin, a container runs until stopped
//   or ended by a test (exitContainer()). Each container has its own in-memory filesystem over
//   its mounts (for exec, probes and `tar`, i.e. kubectl cp);
// - fake-container-io.ts: exec (the same commands, unless a test installs its own ExecSync
//   handler), attach (a console per container, fake-attach.ts) and log lines a test writes;
// - fake-container-stats.ts: container stats, from setUsage();
// - fake-image-store.ts: images.
// Pods have no network: a connection to a pod port is accepted when a running container of the
// pod declares it (simulatedConnect, used by probes); port-forward connects to servers from
// onPortForward() (fake-attach.ts).
import { createHash } from 'node:crypto';
import {
  type AttachOptions,
  type ContainerConfig,
  type ContainerRuntime,
  type ContainerStats,
  type ContainerStatus,
  type ExecOptions,
  type ExecResult,
  type ExecSession,
  type ImageInfo,
  type PortConnection,
  type RuntimeCondition,
  RuntimeError,
  type RuntimeVersion,
  type SandboxConfig,
  type SandboxStatus,
} from './container-runtime.js';
import { type FakePortHandler, fakePortConnection } from './fake-attach.js';
import { FakeContainerIo, type FakeExecHandler } from './fake-container-io.js';
import { FakeContainerStats, type FakeUsage } from './fake-container-stats.js';
import { FakeContainerStore } from './fake-container-store.js';
import type { FakeExecSession } from './fake-exec-session.js';
import { FakeImageStore } from './fake-image-store.js';
import { type ContainerRecord, copySandboxStatus, notFound } from './fake-records.js';
import { FakeSandboxStore } from './fake-sandbox-store.js';

export interface FakeRuntimeOptions {
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  /** Image references present from the start (normalised like CRI does). */
  images?: string[];
  /** The range pod IPs come from (the first host is the bridge's); default 10.88.0.0/24. */
  podCidr?: string;
  /** Replaces the built-in commands for ExecSync (probes in unit tests). */
  exec?: FakeExecHandler;
}

export class FakeRuntime implements ContainerRuntime {
  private readonly now: () => number;
  private readonly sandboxes: FakeSandboxStore;
  private readonly containers: FakeContainerStore;
  private readonly io: FakeContainerIo;
  private readonly stats = new FakeContainerStats();
  private readonly images = new FakeImageStore();
  private portHandler: FakePortHandler | undefined;
  private outage: string | undefined;
  private sequence = 0;

  constructor(options: FakeRuntimeOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sandboxes = new FakeSandboxStore(options.podCidr ?? '10.88.0.0/24', this.now);
    this.containers = new FakeContainerStore(this.now);
    this.io = new FakeContainerIo(this.containers, this.now, options.exec);
    for (const ref of options.images ?? []) this.addImage(ref);
  }

  // ---- test hooks -------------------------------------------------------------------------

  /** Streaming execs in progress, newest last (tests reach them to check what arrived). */
  get execSessions(): FakeExecSession[] {
    return this.io.execSessions;
  }

  /**
   * New sandboxes get their IPs from this range, as a CNI bridge configured for the Node's pod CIDR
   * would give them (the hub refuses pod IPs outside it); running sandboxes keep theirs.
   */
  usePodCidr(cidr: string): boolean {
    return this.sandboxes.usePodCidr(cidr);
  }

  /** Ends a running container as if its process exited. */
  exitContainer(id: string, exitCode: number, reason?: string, message = ''): void {
    this.containers.exit(id, exitCode, reason, message);
  }

  /** The next startContainer of a container with this image fails (then starts work again). */
  failNextStart(image: string, message: string): void {
    this.containers.failNextStart(image, message);
  }

  /** The config a sandbox was created with (its dnsConfig is the pod's resolv.conf). */
  sandboxConfig(id: string): SandboxConfig | undefined {
    return this.sandboxes.config(id);
  }

  /** The config a container was created with (stdin, tty, the process namespace it joined). */
  containerConfig(id: string): ContainerConfig | undefined {
    return this.containers.config(id);
  }

  onExec(handler: FakeExecHandler): void {
    this.io.execHandler = handler;
  }

  /** Who answers port-forward connections: a server per sandbox and port, or none (refused). */
  onPortForward(handler: FakePortHandler): void {
    this.portHandler = handler;
  }

  /** What listContainerStats reports for a running container (default: idle, 1 MiB). */
  setUsage(id: string, usage: FakeUsage): void {
    this.stats.set(id, usage);
  }

  /** Appends one CRI-format line (`<RFC3339Nano> <stream> F <line>`) to the container's log file. */
  async emitLog(id: string, stream: 'stdout' | 'stderr', line: string): Promise<void> {
    const record = this.containers.get(id);
    if (!record) throw new Error(`container ${id} does not exist`);
    await this.io.emitLog(record, stream, line);
  }

  addImage(ref: string): string {
    return this.images.add(ref);
  }

  /** Until endOutage(), every call fails with Unavailable, as when containerd is down. */
  startOutage(message = 'connection refused'): void {
    this.outage = message;
  }

  endOutage(): void {
    this.outage = undefined;
  }

  // ---- runtime ----------------------------------------------------------------------------

  async version(): Promise<RuntimeVersion> {
    this.checkAvailable('Version');
    return { runtimeName: 'fake', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };
  }

  async status(): Promise<RuntimeCondition[]> {
    this.checkAvailable('Status');
    return [
      { type: 'RuntimeReady', status: true, reason: '', message: '' },
      { type: 'NetworkReady', status: true, reason: '', message: '' },
    ];
  }

  // ---- sandboxes --------------------------------------------------------------------------

  async runPodSandbox(config: SandboxConfig): Promise<string> {
    this.checkAvailable('RunPodSandbox');
    return this.sandboxes.run(config, () => this.nextId('sandbox'));
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.checkAvailable('StopPodSandbox');
    const record = this.sandboxes.get(id);
    if (!record) throw notFound('StopPodSandbox', 'sandbox', id);
    await this.containers.stopAllOf(id);
    this.sandboxes.markStopped(record);
  }

  async removePodSandbox(id: string): Promise<void> {
    this.checkAvailable('RemovePodSandbox');
    if (!this.sandboxes.get(id)) return;
    this.containers.removeAllOf(id);
    this.sandboxes.remove(id);
  }

  async podSandboxStatus(id: string): Promise<SandboxStatus | undefined> {
    this.checkAvailable('PodSandboxStatus');
    return this.sandboxes.status(id);
  }

  async listPodSandboxes(): Promise<SandboxStatus[]> {
    this.checkAvailable('ListPodSandbox');
    return this.sandboxes.list();
  }

  // ---- containers -------------------------------------------------------------------------

  async createContainer(sandboxId: string, config: ContainerConfig, sandbox: SandboxConfig): Promise<string> {
    this.checkAvailable('CreateContainer');
    const owner = this.sandboxes.get(sandboxId);
    if (!owner) throw notFound('CreateContainer', 'sandbox', sandboxId);
    if (owner.status.state !== 'READY') {
      throw new RuntimeError('Unknown', `CreateContainer: sandbox ${sandboxId} is not ready`);
    }
    const image = this.images.named(config.image);
    if (!image) {
      throw new RuntimeError(
        'NotFound',
        `CreateContainer: failed to resolve image "${config.image}": not found`,
      );
    }
    return this.containers.create(sandboxId, config, sandbox, image.id, () => this.nextId('container'));
  }

  async startContainer(id: string): Promise<void> {
    this.checkAvailable('StartContainer');
    this.containers.start(id);
  }

  async stopContainer(id: string, _timeoutSeconds: number): Promise<void> {
    this.checkAvailable('StopContainer');
    await this.containers.stop(id);
  }

  async removeContainer(id: string): Promise<void> {
    this.checkAvailable('RemoveContainer');
    this.containers.remove(id);
  }

  async listContainers(filter: { podSandboxId?: string | undefined } = {}): Promise<ContainerStatus[]> {
    this.checkAvailable('ListContainers');
    return this.containers.list(filter);
  }

  async containerStatus(id: string): Promise<ContainerStatus | undefined> {
    this.checkAvailable('ContainerStatus');
    return this.containers.status(id);
  }

  async execSync(
    id: string,
    command: string[],
    timeoutSeconds: number,
    signal?: AbortSignal,
  ): Promise<ExecResult> {
    return this.io.execSync(this.runningContainer('ExecSync', id), command, timeoutSeconds, signal);
  }

  async exec(id: string, options: ExecOptions): Promise<ExecSession> {
    return this.io.exec(this.runningContainer('Exec', id), options);
  }

  async attach(id: string, options: AttachOptions): Promise<ExecSession> {
    return this.io.attach(this.runningContainer('Attach', id), options);
  }

  async portForward(
    sandboxId: string,
    port: number,
    output: (data: Buffer) => void,
  ): Promise<PortConnection> {
    this.checkAvailable('PortForward');
    const record = this.sandboxes.get(sandboxId);
    if (!record) throw notFound('PortForward', 'sandbox', sandboxId);
    const status = copySandboxStatus(record.status);
    return fakePortConnection(status, port, this.portHandler?.(status, port), output);
  }

  async listContainerStats(filter: { podSandboxId?: string | undefined } = {}): Promise<ContainerStats[]> {
    this.checkAvailable('ListContainerStats');
    return this.stats.of(this.containers.all(), filter.podSandboxId, this.now());
  }

  // ---- images -----------------------------------------------------------------------------

  async listImages(): Promise<ImageInfo[]> {
    this.checkAvailable('ListImages');
    return this.images.list();
  }

  async imageStatus(ref: string): Promise<ImageInfo | undefined> {
    this.checkAvailable('ImageStatus');
    return this.images.status(ref);
  }

  /** Always succeeds, as if every image were in a reachable registry. */
  async pullImage(ref: string): Promise<string> {
    this.checkAvailable('PullImage');
    return this.images.pull(ref);
  }

  simulatedConnect(containerId: string, port: number): boolean {
    const sandboxId = this.containers.get(containerId)?.status.podSandboxId;
    if (sandboxId === undefined || this.sandboxes.get(sandboxId)?.status.state !== 'READY') return false;
    return this.containers
      .ofSandbox(sandboxId)
      .some(
        ({ status, config }) =>
          status.state === 'RUNNING' &&
          (config.ports ?? []).some((p) => p.containerPort === port && p.protocol === 'TCP'),
      );
  }

  /** Ends every running command (their timers would keep a test process alive). */
  close(): void {
    this.containers.close();
  }

  // ---- internals --------------------------------------------------------------------------

  private runningContainer(method: string, id: string): ContainerRecord {
    this.checkAvailable(method);
    return this.containers.running(method, id);
  }

  private checkAvailable(method: string): void {
    if (this.outage !== undefined) throw new RuntimeError('Unavailable', `${method}: ${this.outage}`);
  }

  private nextId(kind: string): string {
    this.sequence += 1;
    return createHash('sha256').update(`${kind}-${this.sequence}`).digest('hex');
  }
}
