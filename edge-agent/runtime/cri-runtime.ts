// ContainerRuntime over the CRI runtime.v1 gRPC API (containerd, CRI-O) on a unix socket.
// containerd 1.6 has no GetContainerEvents (UNIMPLEMENTED), so callers poll the list calls.
import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import type {
  AttachOptions,
  ContainerConfig,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ExecOptions,
  ExecResult,
  ExecSession,
  ImageInfo,
  PortConnection,
  RuntimeCondition,
  RuntimeVersion,
  SandboxConfig,
  SandboxStatus,
} from './container-runtime.js';
import { isNotFound, RuntimeError } from './container-runtime.js';
import { toRuntimeError } from './cri-errors.js';
import { openExecStream } from './cri-exec-stream.js';
import {
  fromWireContainerStats,
  fromWireContainerStatus,
  fromWireImage,
  fromWireSandboxStatus,
  toWireContainerConfig,
  toWireSandboxConfig,
} from './cri-mapping.js';
import { openPortForwardStream } from './cri-port-forward-stream.js';
import { type CriMethodTable, criMethods } from './cri-proto.js';
import type { StreamDialer } from './cri-stream-dial.js';
import type { CriCalls, CriMethod } from './cri-wire.js';

export interface CriRuntimeOptions {
  /** Deadline of each call, added to a call's own timeout (stop, exec). Default 30 s. */
  timeoutMs?: number;
  /** Deadline of PullImage. Default 10 min. */
  pullTimeoutMs?: number;
  /**
   * How to reach the runtime's exec streaming server; default a TCP connection to its URL. For a
   * runtime in another network namespace than ours, whose loopback we cannot dial (tests).
   */
  dialStream?: StreamDialer | undefined;
}

const MiB = 1024 * 1024;

// A restarted containerd should be found again within a second, not after grpc-js's default
// back-off (up to 120 s). ExecSync output may be up to 16 MiB per stream.
const CHANNEL_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
  'grpc.max_receive_message_length': 40 * MiB,
};

/** 'unix:///run/x.sock' and '/run/x.sock' both name a unix socket. */
export function normalizeEndpoint(endpoint: string): string {
  return endpoint.startsWith('/') ? `unix://${endpoint}` : endpoint;
}

/** Drops the cached statuses of what the runtime no longer lists. */
function forgetMissing(cache: Map<string, unknown>, listed: { id: string }[]): void {
  if (cache.size === 0) return;
  const ids = new Set(listed.map((item) => item.id));
  for (const id of cache.keys()) if (!ids.has(id)) cache.delete(id);
}

export class CriRuntime implements ContainerRuntime {
  readonly endpoint: string;
  private readonly client: Client;
  private readonly methods: CriMethodTable;
  private readonly timeoutMs: number;
  private readonly pullTimeoutMs: number;
  private readonly dialStream: StreamDialer | undefined;
  /**
   * The last status read of each sandbox and container, with the state the list gave then. Pod
   * sync lists every second, and a status changes only with its state (an IP, exit code or
   * finish time comes with a new state), so a status is read again only when the list shows a
   * new state: an idle gateway with 20 pods makes 3 calls a pass instead of 43.
   */
  private readonly sandboxCache = new Map<string, { state: string; status: SandboxStatus }>();
  private readonly containerCache = new Map<string, { state: string; status: ContainerStatus }>();

  constructor(endpoint: string, options: CriRuntimeOptions = {}) {
    this.endpoint = normalizeEndpoint(endpoint);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.pullTimeoutMs = options.pullTimeoutMs ?? 600_000;
    this.dialStream = options.dialStream;
    this.methods = criMethods();
    this.client = new Client(this.endpoint, credentials.createInsecure(), CHANNEL_OPTIONS);
  }

  /** Polls Version until the runtime answers; rejects with Unavailable after `timeoutMs`. */
  async waitReady(timeoutMs: number): Promise<RuntimeVersion> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        return await this.version(Math.max(50, Math.min(1000, deadline - Date.now())));
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const cause = lastError instanceof Error ? lastError.message : String(lastError);
    throw new RuntimeError('Unavailable', `${this.endpoint} did not answer within ${timeoutMs} ms: ${cause}`);
  }

  async version(timeoutMs = this.timeoutMs): Promise<RuntimeVersion> {
    const answer = await this.call('RuntimeService/Version', { version: 'v1' }, timeoutMs);
    return {
      runtimeName: answer.runtime_name,
      runtimeVersion: answer.runtime_version,
      runtimeApiVersion: answer.runtime_api_version,
    };
  }

  async status(): Promise<RuntimeCondition[]> {
    const answer = await this.call('RuntimeService/Status', { verbose: false });
    return (answer.status?.conditions ?? []).map(({ type, status, reason, message }) => ({
      type,
      status,
      reason,
      message,
    }));
  }

  async runPodSandbox(config: SandboxConfig): Promise<string> {
    const answer = await this.call('RuntimeService/RunPodSandbox', { config: toWireSandboxConfig(config) });
    return answer.pod_sandbox_id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    await this.call('RuntimeService/StopPodSandbox', { pod_sandbox_id: id });
  }

  async removePodSandbox(id: string): Promise<void> {
    await this.call('RuntimeService/RemovePodSandbox', { pod_sandbox_id: id });
  }

  async podSandboxStatus(id: string): Promise<SandboxStatus | undefined> {
    try {
      const answer = await this.call('RuntimeService/PodSandboxStatus', {
        pod_sandbox_id: id,
        verbose: false,
      });
      return answer.status ? fromWireSandboxStatus(answer.status) : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The list item has no IP, so a sandbox's status is read too when its state is new. */
  async listPodSandboxes(): Promise<SandboxStatus[]> {
    const answer = await this.call('RuntimeService/ListPodSandbox', {});
    const statuses = await Promise.all(
      answer.items.map(async (item) => {
        const cached = this.sandboxCache.get(item.id);
        if (cached?.state === item.state) return cached.status;
        const status = await this.podSandboxStatus(item.id);
        if (status) this.sandboxCache.set(item.id, { state: item.state, status });
        return status;
      }),
    );
    forgetMissing(this.sandboxCache, answer.items);
    return statuses.filter((status): status is SandboxStatus => status !== undefined);
  }

  async createContainer(sandboxId: string, config: ContainerConfig, sandbox: SandboxConfig): Promise<string> {
    const answer = await this.call('RuntimeService/CreateContainer', {
      pod_sandbox_id: sandboxId,
      config: toWireContainerConfig(config, sandbox),
      sandbox_config: toWireSandboxConfig(sandbox),
    });
    return answer.container_id;
  }

  async startContainer(id: string): Promise<void> {
    await this.call('RuntimeService/StartContainer', { container_id: id });
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const seconds = Math.max(0, Math.floor(timeoutSeconds));
    await this.call(
      'RuntimeService/StopContainer',
      { container_id: id, timeout: seconds },
      seconds * 1000 + this.timeoutMs,
    );
  }

  async removeContainer(id: string): Promise<void> {
    await this.call('RuntimeService/RemoveContainer', { container_id: id });
  }

  /** The list item lacks exit code, reason and times, so a container's status is read too when its state is new. */
  async listContainers(filter: { podSandboxId?: string | undefined } = {}): Promise<ContainerStatus[]> {
    const answer = await this.call('RuntimeService/ListContainers', {
      filter: filter.podSandboxId ? { pod_sandbox_id: filter.podSandboxId } : {},
    });
    const statuses = await Promise.all(
      answer.containers.map(async (container) => {
        const cached = this.containerCache.get(container.id);
        if (cached?.state === container.state) return cached.status;
        const status = await this.readContainerStatus(container.id, container.pod_sandbox_id);
        if (status) this.containerCache.set(container.id, { state: container.state, status });
        return status;
      }),
    );
    if (!filter.podSandboxId) forgetMissing(this.containerCache, answer.containers);
    return statuses.filter((status): status is ContainerStatus => status !== undefined);
  }

  /** ContainerStatus carries no sandbox ID; a list filtered by the ID supplies it. */
  async containerStatus(id: string): Promise<ContainerStatus | undefined> {
    const listed = await this.call('RuntimeService/ListContainers', { filter: { id } });
    const sandboxId = listed.containers.find((container) => container.id === id)?.pod_sandbox_id;
    if (sandboxId === undefined) return undefined;
    return this.readContainerStatus(id, sandboxId);
  }

  /** Aborting cancels the call; containerd then kills the command (its context ends). */
  async execSync(
    id: string,
    command: string[],
    timeoutSeconds: number,
    signal?: AbortSignal,
  ): Promise<ExecResult> {
    const seconds = Math.max(0, Math.floor(timeoutSeconds));
    const answer = await this.call(
      'RuntimeService/ExecSync',
      { container_id: id, cmd: command, timeout: seconds },
      // No timeout means none for the call either (a day), not the default call deadline.
      seconds > 0 ? seconds * 1000 + this.timeoutMs : 24 * 3600_000,
      signal,
    );
    return { stdout: answer.stdout, stderr: answer.stderr, exitCode: answer.exit_code };
  }

  async exec(id: string, options: ExecOptions): Promise<ExecSession> {
    const answer = await this.call('RuntimeService/Exec', {
      container_id: id,
      cmd: options.command,
      tty: options.tty,
      stdin: options.stdin,
      stdout: options.stdout,
      stderr: options.stderr && !options.tty,
    });
    return openExecStream(answer.url, options, this.dialStream);
  }

  async attach(id: string, options: AttachOptions): Promise<ExecSession> {
    const answer = await this.call('RuntimeService/Attach', {
      container_id: id,
      stdin: options.stdin,
      tty: options.tty,
      stdout: options.stdout,
      stderr: options.stderr && !options.tty,
    });
    return openExecStream(answer.url, options, this.dialStream);
  }

  async portForward(
    sandboxId: string,
    port: number,
    output: (data: Buffer) => void,
  ): Promise<PortConnection> {
    const answer = await this.call('RuntimeService/PortForward', { pod_sandbox_id: sandboxId, port: [port] });
    return openPortForwardStream(answer.url, port, output, this.dialStream);
  }

  async listContainerStats(filter: { podSandboxId?: string | undefined } = {}): Promise<ContainerStats[]> {
    const answer = await this.call('RuntimeService/ListContainerStats', {
      filter: filter.podSandboxId ? { pod_sandbox_id: filter.podSandboxId } : {},
    });
    return answer.stats.map(fromWireContainerStats);
  }

  async listImages(): Promise<ImageInfo[]> {
    const answer = await this.call('ImageService/ListImages', {});
    return answer.images.map(fromWireImage);
  }

  async imageStatus(ref: string): Promise<ImageInfo | undefined> {
    const answer = await this.call('ImageService/ImageStatus', { image: { image: ref }, verbose: false });
    return answer.image ? fromWireImage(answer.image) : undefined;
  }

  async pullImage(ref: string): Promise<string> {
    const answer = await this.call('ImageService/PullImage', { image: { image: ref } }, this.pullTimeoutMs);
    return answer.image_ref;
  }

  close(): void {
    this.client.close();
  }

  private async readContainerStatus(id: string, podSandboxId: string): Promise<ContainerStatus | undefined> {
    try {
      const answer = await this.call('RuntimeService/ContainerStatus', { container_id: id, verbose: false });
      return answer.status ? fromWireContainerStatus(answer.status, podSandboxId) : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private call<M extends CriMethod>(
    method: M,
    request: CriCalls[M][0],
    timeoutMs: number = this.timeoutMs,
    signal?: AbortSignal,
  ): Promise<CriCalls[M][1]> {
    const definition = this.methods.get(method);
    if (!definition)
      return Promise.reject(new RuntimeError('Unknown', `${method}: not in the CRI proto subset`));
    if (signal?.aborted) return Promise.reject(new RuntimeError('Unknown', `${method}: cancelled`));
    return new Promise((resolve, reject) => {
      const call = this.client.makeUnaryRequest(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        request,
        new Metadata(),
        { deadline: Date.now() + timeoutMs },
        (error: ServiceError | null, response?: object) => {
          if (error) reject(toRuntimeError(method, error));
          else resolve(response as CriCalls[M][1]);
        },
      );
      signal?.addEventListener('abort', () => call.cancel(), { once: true });
    });
  }
}
