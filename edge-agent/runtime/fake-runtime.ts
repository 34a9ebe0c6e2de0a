// An in-memory ContainerRuntime for unit tests and simulated fleets: deterministic (IDs from a
// counter, time from an injectable clock), cheap (no I/O unless a test writes container logs),
// and faithful to what containerd 1.6 answers (checked by test/conformance/container-runtime):
// unknown IDs give NotFound or undefined, removes are idempotent, a failed start leaves an
// EXITED container with reason StartError, CreateContainer never pulls.
// A container runs its command and args with the fake command set of fake-commands/ (exit codes,
// sleep, sh -c scripts with loops, echo to the CRI log file…: fake-container-process.ts) and
// exits when it ends; a program the set lacks fails StartContainer as runc does (StartError,
// exit code 128). Without a command (the image's default, unknown here) or with stdin, a
// container runs until stopped or ended by a test (exitContainer()). Each container has its own
// in-memory filesystem over its mounts (for exec, probes and `tar`, i.e. kubectl cp). Exec runs
// the same commands unless a test installs its own ExecSync handler; container stats come from
// setUsage(). Pods have no network: a connection to a pod port is accepted when a running
// container of the pod declares it (simulatedConnect, used by probes). Attach and
// port-forward: see fake-attach.ts (a console per container, port servers from onPortForward()).
import { createHash } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
import { formatCriLogLine } from './cri-log-line.js';
import { FakeConsole, type FakePortHandler, fakePortConnection } from './fake-attach.js';
import { findProgram, runFakeCommand, startFailure } from './fake-commands/commands.js';
import { FakeFilesystem } from './fake-commands/fake-filesystem.js';
import { FakeContainerProcess } from './fake-container-process.js';
import { FakeExecSession } from './fake-exec-session.js';
import { FakeIpPool } from './fake-ip-pool.js';
import {
  type ContainerRecord,
  copyContainerConfig,
  copyContainerStatus,
  copyImage,
  copySandboxConfig,
  copySandboxStatus,
  type SandboxRecord,
} from './fake-records.js';
import { normalizeImageRef } from './image-ref.js';

export interface FakeContainerView {
  status: ContainerStatus;
  config: ContainerConfig;
  sandbox: SandboxConfig;
}

export type FakeExecHandler = (
  container: FakeContainerView,
  command: string[],
) => ExecResult | Promise<ExecResult>;

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

const SIGKILL_EXIT = 137;

export class FakeRuntime implements ContainerRuntime {
  private readonly now: () => number;
  private ips: FakeIpPool;
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly images = new Map<string, ImageInfo>();
  private readonly startFailures = new Map<string, string>();
  private execHandler: FakeExecHandler | undefined;
  private portHandler: FakePortHandler | undefined;
  private readonly usage = new Map<string, { nanoCores: number; memoryBytes: number }>();
  /** Streaming execs in progress, newest last (tests reach them to check what arrived). */
  readonly execSessions: FakeExecSession[] = [];
  private outage: string | undefined;
  private sequence = 0;

  constructor(options: FakeRuntimeOptions = {}) {
    this.now = options.now ?? Date.now;
    this.ips = new FakeIpPool(options.podCidr ?? '10.88.0.0/24');
    this.execHandler = options.exec;
    for (const ref of options.images ?? []) this.addImage(ref);
  }

  // ---- test hooks -------------------------------------------------------------------------

  /**
   * New sandboxes get their IPs from this range, as a CNI bridge configured for the Node's pod CIDR
   * would give them (the hub refuses pod IPs outside it); running sandboxes keep theirs.
   */
  usePodCidr(cidr: string): boolean {
    if (cidr === this.ips.cidr) return false;
    this.ips = new FakeIpPool(cidr);
    return true;
  }

  /** Ends a running container as if its process exited. */
  exitContainer(id: string, exitCode: number, reason?: string, message = ''): void {
    const record = this.containers.get(id);
    if (record?.status.state !== 'RUNNING') throw new Error(`container ${id} is not running`);
    void record.process?.stop();
    this.finish(record, exitCode, reason ?? (exitCode === 0 ? 'Completed' : 'Error'), message);
  }

  /** The next startContainer of a container with this image fails (then starts work again). */
  failNextStart(image: string, message: string): void {
    this.startFailures.set(normalizeImageRef(image), message);
  }

  /** The config a sandbox was created with (its dnsConfig is the pod's resolv.conf). */
  sandboxConfig(id: string): SandboxConfig | undefined {
    const record = this.sandboxes.get(id);
    return record ? copySandboxConfig(record.config) : undefined;
  }

  /** The config a container was created with (stdin, tty, the process namespace it joined). */
  containerConfig(id: string): ContainerConfig | undefined {
    const record = this.containers.get(id);
    return record ? copyContainerConfig(record.config) : undefined;
  }

  onExec(handler: FakeExecHandler): void {
    this.execHandler = handler;
  }

  /** Who answers port-forward connections: a server per sandbox and port, or none (refused). */
  onPortForward(handler: FakePortHandler): void {
    this.portHandler = handler;
  }

  /** What listContainerStats reports for a running container (default: idle, 1 MiB). */
  setUsage(id: string, usage: { nanoCores: number; memoryBytes: number }): void {
    this.usage.set(id, { ...usage });
  }

  /** Appends one CRI-format line (`<RFC3339Nano> <stream> F <line>`) to the container's log file. */
  async emitLog(id: string, stream: 'stdout' | 'stderr', line: string): Promise<void> {
    const record = this.containers.get(id);
    if (!record) throw new Error(`container ${id} does not exist`);
    const file = join(record.sandbox.logDirectory, record.config.logPath);
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, formatCriLogLine(this.now(), stream, line));
    record.console?.output(stream, Buffer.from(`${line}\n`));
  }

  addImage(ref: string): string {
    const name = normalizeImageRef(ref);
    const id = `sha256:${createHash('sha256').update(name).digest('hex')}`;
    this.images.set(name, { id, repoTags: [name], repoDigests: [], size: 1024 * 1024 });
    return id;
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

  async runPodSandbox(config: SandboxConfig): Promise<string> {
    this.checkAvailable('RunPodSandbox');
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
    const id = this.nextId('sandbox');
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

  async stopPodSandbox(id: string): Promise<void> {
    this.checkAvailable('StopPodSandbox');
    const record = this.sandboxes.get(id);
    if (!record) throw notFound('StopPodSandbox', 'sandbox', id);
    await Promise.all(this.containersOf(id).map((container) => this.stopProcess(container)));
    record.status.state = 'NOTREADY';
    this.releaseIp(record);
  }

  async removePodSandbox(id: string): Promise<void> {
    this.checkAvailable('RemovePodSandbox');
    const record = this.sandboxes.get(id);
    if (!record) return;
    for (const container of this.containersOf(id)) {
      void container.process?.stop();
      this.containers.delete(container.status.id);
    }
    this.releaseIp(record);
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(id: string): Promise<SandboxStatus | undefined> {
    this.checkAvailable('PodSandboxStatus');
    const record = this.sandboxes.get(id);
    return record ? copySandboxStatus(record.status) : undefined;
  }

  async listPodSandboxes(): Promise<SandboxStatus[]> {
    this.checkAvailable('ListPodSandbox');
    return [...this.sandboxes.values()].map((record) => copySandboxStatus(record.status));
  }

  // ---- containers -------------------------------------------------------------------------

  async createContainer(sandboxId: string, config: ContainerConfig, sandbox: SandboxConfig): Promise<string> {
    this.checkAvailable('CreateContainer');
    const owner = this.sandboxes.get(sandboxId);
    if (!owner) throw notFound('CreateContainer', 'sandbox', sandboxId);
    if (owner.status.state !== 'READY') {
      throw new RuntimeError('Unknown', `CreateContainer: sandbox ${sandboxId} is not ready`);
    }
    const image = this.images.get(normalizeImageRef(config.image));
    if (!image) {
      throw new RuntimeError(
        'NotFound',
        `CreateContainer: failed to resolve image "${config.image}": not found`,
      );
    }
    for (const other of this.containersOf(sandboxId)) {
      if (other.status.name === config.name && other.status.attempt === config.attempt) {
        throw new RuntimeError('Unknown', `CreateContainer: container name ${config.name} is reserved`);
      }
    }
    if (config.targetContainerId !== undefined) this.checkTarget(sandboxId, config.targetContainerId);
    const id = this.nextId('container');
    this.containers.set(id, {
      config: copyContainerConfig(config),
      sandbox: copySandboxConfig(sandbox),
      fs: new FakeFilesystem(config.mounts, this.now),
      status: {
        id,
        podSandboxId: sandboxId,
        name: config.name,
        attempt: config.attempt,
        state: 'CREATED',
        createdAt: this.now(),
        startedAt: 0,
        finishedAt: 0,
        exitCode: 0,
        reason: '',
        message: '',
        image: config.image,
        imageRef: image.id,
        labels: { ...config.labels },
        annotations: { ...config.annotations },
        logPath: join(sandbox.logDirectory, config.logPath),
      },
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.checkAvailable('StartContainer');
    const record = this.containers.get(id);
    if (!record) throw notFound('StartContainer', 'container', id);
    if (record.status.state !== 'CREATED') {
      throw new RuntimeError('Unknown', `StartContainer: container ${id} is in ${record.status.state} state`);
    }
    const image = normalizeImageRef(record.config.image);
    const failure = this.startFailures.get(image);
    if (failure !== undefined) {
      this.startFailures.delete(image);
      this.finish(record, 128, 'StartError', failure);
      throw new RuntimeError('Unknown', `StartContainer: ${failure}`);
    }
    const command = [...record.config.command, ...record.config.args];
    const program = command[0];
    if (program !== undefined && !record.config.stdin && !findProgram(program)) {
      const message = startFailure(program);
      this.finish(record, 128, 'StartError', message);
      throw new RuntimeError('Unknown', `StartContainer: ${message}`);
    }
    record.status.state = 'RUNNING';
    record.status.startedAt = this.now();
    if (program !== undefined && !record.config.stdin) this.startProcess(record, command);
  }

  async stopContainer(id: string, _timeoutSeconds: number): Promise<void> {
    this.checkAvailable('StopContainer');
    const record = this.containers.get(id);
    if (!record) throw notFound('StopContainer', 'container', id);
    await this.stopProcess(record);
  }

  async removeContainer(id: string): Promise<void> {
    this.checkAvailable('RemoveContainer');
    void this.containers.get(id)?.process?.stop();
    this.containers.delete(id);
  }

  async listContainers(filter: { podSandboxId?: string | undefined } = {}): Promise<ContainerStatus[]> {
    this.checkAvailable('ListContainers');
    const records = filter.podSandboxId
      ? this.containersOf(filter.podSandboxId)
      : [...this.containers.values()];
    return records.map((record) => copyContainerStatus(record.status));
  }

  async containerStatus(id: string): Promise<ContainerStatus | undefined> {
    this.checkAvailable('ContainerStatus');
    const record = this.containers.get(id);
    return record ? copyContainerStatus(record.status) : undefined;
  }

  async execSync(
    id: string,
    command: string[],
    timeoutSeconds: number,
    signal?: AbortSignal,
  ): Promise<ExecResult> {
    const record = this.runningContainer('ExecSync', id);
    if (this.execHandler) {
      return this.execHandler(
        { status: copyContainerStatus(record.status), config: record.config, sandbox: record.sandbox },
        [...command],
      );
    }
    const output = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const deadline = timeoutSeconds > 0 ? AbortSignal.timeout(timeoutSeconds * 1000) : undefined;
    const stop = AbortSignal.any([signal, deadline].filter((s): s is AbortSignal => s !== undefined));
    const exitCode = await runFakeCommand(command, {
      config: record.config,
      sandbox: record.sandbox,
      processes: this.processesSeenBy(record),
      fs: record.fs,
      now: this.now,
      write: (stream, data) => output[stream].push(data),
      signal: stop,
    });
    if (deadline?.aborted) {
      // containerd's words (measured): the call fails, the output is lost.
      throw new RuntimeError(
        'DeadlineExceeded',
        `ExecSync: failed to exec in container: timeout ${timeoutSeconds}s exceeded: context deadline exceeded`,
      );
    }
    return { stdout: Buffer.concat(output.stdout), stderr: Buffer.concat(output.stderr), exitCode };
  }

  async exec(id: string, options: ExecOptions): Promise<ExecSession> {
    const record = this.runningContainer('Exec', id);
    const session = new FakeExecSession(options, {
      config: record.config,
      sandbox: record.sandbox,
      processes: this.processesSeenBy(record),
      fs: record.fs,
      now: this.now,
    });
    this.execSessions.push(session);
    // containerd reports a missing executable through the session's status, in these words.
    const done = session.done.catch((err: Error) => {
      throw new RuntimeError(
        'Unknown',
        `Internal error occurred: error executing command in container: ${err.message}`,
      );
    });
    return Object.assign(session, { done });
  }

  async attach(id: string, options: AttachOptions): Promise<ExecSession> {
    const record = this.runningContainer('Attach', id);
    record.console ??= new FakeConsole(record.config, () => {
      if (record.status.state === 'RUNNING') this.finish(record, 0, 'Completed', '');
    });
    return record.console.attach(options);
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
    const now = this.now();
    return [...this.containers.values()]
      .filter((r) => r.status.state === 'RUNNING')
      .filter((r) => !filter.podSandboxId || r.status.podSandboxId === filter.podSandboxId)
      .map(({ status }) => {
        const usage = this.usage.get(status.id) ?? { nanoCores: 0, memoryBytes: 1024 * 1024 };
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

  // ---- images -----------------------------------------------------------------------------

  async listImages(): Promise<ImageInfo[]> {
    this.checkAvailable('ListImages');
    return [...this.images.values()].map(copyImage);
  }

  async imageStatus(ref: string): Promise<ImageInfo | undefined> {
    this.checkAvailable('ImageStatus');
    const image = this.findImage(ref);
    return image ? copyImage(image) : undefined;
  }

  /** Always succeeds, as if every image were in a reachable registry. */
  async pullImage(ref: string): Promise<string> {
    this.checkAvailable('PullImage');
    return this.findImage(ref)?.id ?? this.addImage(ref);
  }

  simulatedConnect(containerId: string, port: number): boolean {
    const sandboxId = this.containers.get(containerId)?.status.podSandboxId;
    if (sandboxId === undefined || this.sandboxes.get(sandboxId)?.status.state !== 'READY') return false;
    return this.containersOf(sandboxId).some(
      ({ status, config }) =>
        status.state === 'RUNNING' &&
        (config.ports ?? []).some((p) => p.containerPort === port && p.protocol === 'TCP'),
    );
  }

  /** Ends every running command (their timers would keep a test process alive). */
  close(): void {
    for (const record of this.containers.values()) void record.process?.stop();
  }

  // ---- internals --------------------------------------------------------------------------

  private runningContainer(method: string, id: string): ContainerRecord {
    this.checkAvailable(method);
    const record = this.containers.get(id);
    if (!record) throw notFound(method, 'container', id);
    if (record.status.state !== 'RUNNING') {
      // containerd: `container <id> is not running` (FailedPrecondition → Unknown here).
      throw new RuntimeError('Unknown', `${method}: container ${id} is not running`);
    }
    return record;
  }

  /** containerd's checks of a pid namespace target (validateTargetContainer), in its words. */
  private checkTarget(sandboxId: string, targetId: string): void {
    const target = this.containers.get(targetId);
    const invalid = (why: string) =>
      new RuntimeError('Unknown', `CreateContainer: invalid target container: ${why}`);
    if (!target) throw invalid(`container "${targetId}" does not exist: not found`);
    if (target.status.podSandboxId !== sandboxId) {
      throw invalid(
        `container "${targetId}" (sandbox ${target.status.podSandboxId}) does not belong to sandbox ${sandboxId}`,
      );
    }
    if (target.status.state !== 'RUNNING') {
      throw invalid(`container "${targetId}" is not running - in state CONTAINER_${target.status.state}`);
    }
  }

  /**
   * What `ps` in a container lists before itself: its own main process, after its target's
   * when it joined the target's process namespace (pid 1 is then the target's).
   */
  private processesSeenBy(record: ContainerRecord): string[] {
    const commandLine = (config: ContainerConfig) => [...config.command, ...config.args].join(' ');
    const targetId = record.config.targetContainerId;
    const target = targetId === undefined ? undefined : this.containers.get(targetId);
    const own = commandLine(record.config);
    return target?.status.state === 'RUNNING' ? [commandLine(target.config), own] : [own];
  }

  private checkAvailable(method: string): void {
    if (this.outage !== undefined) throw new RuntimeError('Unavailable', `${method}: ${this.outage}`);
  }

  private nextId(kind: string): string {
    this.sequence += 1;
    return createHash('sha256').update(`${kind}-${this.sequence}`).digest('hex');
  }

  private releaseIp(record: SandboxRecord): void {
    this.ips.release(record.status.ip);
    record.status.ip = undefined;
  }

  private containersOf(sandboxId: string): ContainerRecord[] {
    return [...this.containers.values()].filter((record) => record.status.podSandboxId === sandboxId);
  }

  private startProcess(record: ContainerRecord, command: string[]): void {
    const process = new FakeContainerProcess(
      command,
      { config: record.config, sandbox: record.sandbox, fs: record.fs, now: this.now },
      record.status.logPath,
      this.now,
      (stream, data) => record.console?.output(stream, data),
    );
    record.process = process;
    void process.done.then((code) => {
      if (record.process === process && record.status.state === 'RUNNING') {
        this.finish(record, code, code === 0 ? 'Completed' : 'Error', '');
      }
    });
  }

  /** Stops a running container: its command's TERM trap decides the exit code, else SIGKILL's. */
  private async stopProcess(record: ContainerRecord): Promise<void> {
    if (record.status.state !== 'RUNNING') return;
    const code = record.process ? await record.process.stop() : SIGKILL_EXIT;
    if (record.status.state === 'RUNNING') this.finish(record, code, code === 0 ? 'Completed' : 'Error', '');
  }

  private finish(record: ContainerRecord, exitCode: number, reason: string, message: string): void {
    Object.assign(record.status, { state: 'EXITED', finishedAt: this.now(), exitCode, reason, message });
    record.process = undefined;
    record.console?.close();
  }

  private findImage(ref: string): ImageInfo | undefined {
    if (ref.startsWith('sha256:')) return [...this.images.values()].find((image) => image.id === ref);
    return this.images.get(normalizeImageRef(ref));
  }
}

function notFound(method: string, kind: string, id: string): RuntimeError {
  return new RuntimeError('NotFound', `${method}: ${kind} "${id}" not found`);
}
