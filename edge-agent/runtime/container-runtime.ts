// The container runtime seam of the edge agent: what the kubelet half needs from containerd
// (or CRI-O), shaped after the Kubernetes CRI runtime.v1 API. `cri-runtime.ts` implements it
// over gRPC; `fake-runtime.ts` implements it in memory for unit tests and simulated fleets.
// Both pass test/conformance/container-runtime.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface PortMapping {
  protocol: Protocol;
  containerPort: number;
  hostPort: number;
  hostIp?: string | undefined;
}

export interface PodIdentity {
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
}

export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

export interface SandboxConfig {
  metadata: PodIdentity;
  hostname?: string | undefined;
  /** Directory under which container logs are written (CRI log_directory). */
  logDirectory: string;
  hostNetwork: boolean;
  portMappings: PortMapping[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  dnsConfig?: DnsConfig | undefined;
  /** cgroupfs parent, e.g. /flotilla/<node>/pod<uid>. */
  cgroupParent?: string | undefined;
}

export type SandboxState = 'READY' | 'NOTREADY';

export interface SandboxStatus {
  id: string;
  metadata: PodIdentity;
  state: SandboxState;
  /** Milliseconds since the epoch. */
  createdAt: number;
  ip?: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly: boolean;
}

export interface LinuxResources {
  cpuPeriod?: number | undefined;
  cpuQuota?: number | undefined;
  cpuShares?: number | undefined;
  memoryLimitBytes?: number | undefined;
}

export interface ContainerConfig {
  name: string;
  attempt: number;
  image: string;
  command: string[];
  args: string[];
  workingDir?: string | undefined;
  envs: { key: string; value: string }[];
  mounts: Mount[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Relative to the sandbox's logDirectory. */
  logPath: string;
  /**
   * The ports the container declares (the kubelet keeps them in an annotation; CRI does not use
   * them): where a simulated runtime's container listens.
   */
  ports?: { containerPort: number; protocol: Protocol }[] | undefined;
  resources?: LinuxResources | undefined;
  stdin?: boolean | undefined;
  /** Stdin closes when the first attached client detaches (`kubectl run -i`). */
  stdinOnce?: boolean | undefined;
  tty?: boolean | undefined;
  /**
   * Run in the process namespace of this running container of the same sandbox (CRI
   * NamespaceMode TARGET, as the kubelet does for an ephemeral container's
   * targetContainerName); else the container has its own.
   */
  targetContainerId?: string | undefined;
}

export type ContainerState = 'CREATED' | 'RUNNING' | 'EXITED' | 'UNKNOWN';

export interface ContainerStatus {
  id: string;
  podSandboxId: string;
  name: string;
  attempt: number;
  state: ContainerState;
  /** Milliseconds since the epoch; 0 when not reached. */
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  /** e.g. Completed, Error, OOMKilled, ContainerCannotRun. */
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Absolute path of the container's log file, when known. */
  logPath: string;
}

export interface ImageInfo {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
}

export interface RuntimeVersion {
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

export interface RuntimeCondition {
  type: 'RuntimeReady' | 'NetworkReady' | string;
  status: boolean;
  reason: string;
  message: string;
}

export interface ExecResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export type OutputStream = 'stdout' | 'stderr';

/** A streaming exec (`kubectl exec -i`/`-it`): CRI Exec and the runtime's streaming server. */
export interface ExecOptions {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  /** Always false with tty: the terminal merges both outputs into stdout. */
  stderr: boolean;
  tty: boolean;
  /** Called with each piece of output as it comes, before `done` settles. */
  output(stream: OutputStream, data: Buffer): void;
}

/** Attach to a container's own process (`kubectl attach`, `run -i`): ExecOptions without a command. */
export type AttachOptions = Omit<ExecOptions, 'command'>;

/** One connection to a port on a pod's localhost (`kubectl port-forward`). */
export interface PortConnection {
  /** `written` is called once the bytes left the agent (or were dropped: the connection ended). */
  write(data: Buffer, written?: () => void): void;
  /** No more data to the pod (half-close). */
  end(): void;
  /** Drops the connection. */
  cancel(): void;
  /** Stop and restart reading what the pod sends (flow control; optional for in-memory fakes). */
  pause?(): void;
  resume?(): void;
  /** Resolves when the connection ended; rejects with a RuntimeError when it could not connect or broke. */
  done: Promise<void>;
}

export interface ExecSession {
  /** `written` is called once the bytes left the agent (or were dropped: stdin closed). */
  write(data: Buffer, written?: () => void): void;
  /** End of input: the command reads EOF. */
  closeStdin(): void;
  resize(width: number, height: number): void;
  /** Ends the session early; the runtime kills what is left of it. */
  cancel(): void;
  /** Stop and restart reading the command's output (flow control; optional for in-memory fakes). */
  pause?(): void;
  resume?(): void;
  /**
   * The command's exit code once it ended and its output was delivered; rejects with a
   * RuntimeError when it could not run (e.g. executable not found) or the session broke.
   */
  done: Promise<number>;
}

/** CRI ContainerStats, as `kubectl top` needs it; times in milliseconds since the epoch. */
export interface ContainerStats {
  id: string;
  name: string;
  labels: Record<string, string>;
  timestamp: number;
  /** Cumulative CPU time of all cores since the container started. */
  cpuUsageCoreNanoSeconds: number;
  /** The runtime's own rate over its sample window, when it computes one (else undefined). */
  cpuUsageNanoCores: number | undefined;
  memoryWorkingSetBytes: number;
}

/** Set on every RuntimeError, whichever copy of this module made it. */
const runtimeErrorMark: unique symbol = Symbol.for('flotilla.RuntimeError');

/** Errors a runtime reports in a form the agent can act on (e.g. NOT_FOUND → already gone). */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
  readonly [runtimeErrorMark] = true;
  constructor(
    readonly code: 'NotFound' | 'Unavailable' | 'DeadlineExceeded' | 'Unknown',
    message: string,
  ) {
    super(message);
  }

  /**
   * An error is a RuntimeError by its mark, not by the copy of this class that made it: the
   * runtimes are loaded with import() when chosen (open-runtime.ts), and where the rest of the
   * agent was loaded through require (the tests, under tsx) the two have separate copies.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && runtimeErrorMark in value;
  }
}

/** An error saying the object is already gone (the runtime's NotFound). */
export function isNotFound(error: unknown): boolean {
  return error instanceof RuntimeError && error.code === 'NotFound';
}

export interface ContainerRuntime {
  version(): Promise<RuntimeVersion>;
  status(): Promise<RuntimeCondition[]>;

  runPodSandbox(config: SandboxConfig): Promise<string>;
  stopPodSandbox(id: string): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<SandboxStatus | undefined>;
  listPodSandboxes(): Promise<SandboxStatus[]>;

  createContainer(sandboxId: string, config: ContainerConfig, sandbox: SandboxConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: { podSandboxId?: string | undefined }): Promise<ContainerStatus[]>;
  containerStatus(id: string): Promise<ContainerStatus | undefined>;
  /**
   * Runs a command to its end; a timeout (0: none) rejects with DeadlineExceeded, aborting
   * `signal` stops the command. An executable that cannot be run rejects (Unknown).
   */
  execSync(id: string, command: string[], timeoutSeconds: number, signal?: AbortSignal): Promise<ExecResult>;
  exec(id: string, options: ExecOptions): Promise<ExecSession>;
  /**
   * Attaches to the container's process; `done` resolves when the process ended (exit code 0:
   * the runtime does not say) or the session was cancelled (the process goes on).
   */
  attach(id: string, options: AttachOptions): Promise<ExecSession>;
  /** Connects to `port` on the sandbox's localhost; what the pod sends goes to `output`. */
  portForward(sandboxId: string, port: number, output: (data: Buffer) => void): Promise<PortConnection>;
  /** Usage of running containers; NotFound-free: unknown filters give an empty list. */
  listContainerStats(filter?: { podSandboxId?: string | undefined }): Promise<ContainerStats[]>;

  /**
   * Only on runtimes whose pods have no network of their own (the fake): whether a TCP
   * connection to `port` of this container's pod is accepted. Probes of such pods are answered
   * by it, in memory, instead of going on the network.
   */
  simulatedConnect?(containerId: string, port: number): boolean;

  listImages(): Promise<ImageInfo[]>;
  imageStatus(ref: string): Promise<ImageInfo | undefined>;
  pullImage(ref: string): Promise<string>;

  close(): void;
}
