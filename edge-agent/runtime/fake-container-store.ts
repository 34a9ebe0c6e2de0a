// FakeRuntime's containers and their lifecycle, as containerd 1.6 runs them: CREATED, RUNNING
// while the command runs (fake-container-process.ts, with the fake command set), EXITED with
// its exit code; a failed start leaves EXITED with reason StartError and exit code 128, as runc
// does; a stop lets the command's TERM trap decide the exit code, else SIGKILL's (137).
import { join } from 'node:path';
import {
  type ContainerConfig,
  type ContainerStatus,
  RuntimeError,
  type SandboxConfig,
} from './container-runtime.js';
import { findProgram, startFailure } from './fake-commands/commands.js';
import { FakeFilesystem } from './fake-commands/fake-filesystem.js';
import { FakeContainerProcess } from './fake-container-process.js';
import {
  type ContainerRecord,
  copyContainerConfig,
  copyContainerStatus,
  copySandboxConfig,
  notFound,
} from './fake-records.js';
import { normalizeImageRef } from './image-ref.js';

const SIGKILL_EXIT = 137;

export class FakeContainerStore {
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly startFailures = new Map<string, string>();

  constructor(private readonly now: () => number) {}

  get(id: string): ContainerRecord | undefined {
    return this.containers.get(id);
  }

  all(): ContainerRecord[] {
    return [...this.containers.values()];
  }

  ofSandbox(sandboxId: string): ContainerRecord[] {
    return this.all().filter((record) => record.status.podSandboxId === sandboxId);
  }

  /** A CREATED container in a ready sandbox, its image resolved (`imageRef`) by the caller. */
  create(
    sandboxId: string,
    config: ContainerConfig,
    sandbox: SandboxConfig,
    imageRef: string,
    nextId: () => string,
  ): string {
    for (const other of this.ofSandbox(sandboxId)) {
      if (other.status.name === config.name && other.status.attempt === config.attempt) {
        throw new RuntimeError('Unknown', `CreateContainer: container name ${config.name} is reserved`);
      }
    }
    if (config.targetContainerId !== undefined) this.checkTarget(sandboxId, config.targetContainerId);
    const id = nextId();
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
        imageRef,
        labels: { ...config.labels },
        annotations: { ...config.annotations },
        logPath: join(sandbox.logDirectory, config.logPath),
      },
    });
    return id;
  }

  /** The next start of a container with this image fails (then starts work again). */
  failNextStart(image: string, message: string): void {
    this.startFailures.set(normalizeImageRef(image), message);
  }

  start(id: string): void {
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

  async stop(id: string): Promise<void> {
    const record = this.containers.get(id);
    if (!record) throw notFound('StopContainer', 'container', id);
    await this.stopProcess(record);
  }

  async stopAllOf(sandboxId: string): Promise<void> {
    await Promise.all(this.ofSandbox(sandboxId).map((container) => this.stopProcess(container)));
  }

  remove(id: string): void {
    void this.containers.get(id)?.process?.stop();
    this.containers.delete(id);
  }

  removeAllOf(sandboxId: string): void {
    for (const container of this.ofSandbox(sandboxId)) this.remove(container.status.id);
  }

  list(filter: { podSandboxId?: string | undefined }): ContainerStatus[] {
    const records = filter.podSandboxId ? this.ofSandbox(filter.podSandboxId) : this.all();
    return records.map((record) => copyContainerStatus(record.status));
  }

  status(id: string): ContainerStatus | undefined {
    const record = this.containers.get(id);
    return record ? copyContainerStatus(record.status) : undefined;
  }

  /** The config a container was created with (stdin, tty, the process namespace it joined). */
  config(id: string): ContainerConfig | undefined {
    const record = this.containers.get(id);
    return record ? copyContainerConfig(record.config) : undefined;
  }

  /** The container, which must be running (exec, attach). */
  running(method: string, id: string): ContainerRecord {
    const record = this.containers.get(id);
    if (!record) throw notFound(method, 'container', id);
    if (record.status.state !== 'RUNNING') {
      // containerd: `container <id> is not running` (FailedPrecondition → Unknown here).
      throw new RuntimeError('Unknown', `${method}: container ${id} is not running`);
    }
    return record;
  }

  /** Ends a running container as if its process exited. */
  exit(id: string, exitCode: number, reason: string | undefined, message: string): void {
    const record = this.containers.get(id);
    if (record?.status.state !== 'RUNNING') throw new Error(`container ${id} is not running`);
    void record.process?.stop();
    this.finish(record, exitCode, reason ?? (exitCode === 0 ? 'Completed' : 'Error'), message);
  }

  /**
   * What `ps` in a container lists before itself: its own main process, after its target's
   * when it joined the target's process namespace (pid 1 is then the target's).
   */
  processesSeenBy(record: ContainerRecord): string[] {
    const commandLine = (config: ContainerConfig) => [...config.command, ...config.args].join(' ');
    const targetId = record.config.targetContainerId;
    const target = targetId === undefined ? undefined : this.containers.get(targetId);
    const own = commandLine(record.config);
    return target?.status.state === 'RUNNING' ? [commandLine(target.config), own] : [own];
  }

  finish(record: ContainerRecord, exitCode: number, reason: string, message: string): void {
    Object.assign(record.status, { state: 'EXITED', finishedAt: this.now(), exitCode, reason, message });
    record.process = undefined;
    record.console?.close();
  }

  /** Ends every running command (their timers would keep a test process alive). */
  close(): void {
    for (const record of this.containers.values()) void record.process?.stop();
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
}
