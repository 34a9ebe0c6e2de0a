// Pure conversions between Flotilla's ContainerRuntime types and runtime.v1 wire messages.
// Times on the wire are int64 nanoseconds since the epoch; Flotilla uses milliseconds.
import type {
  ContainerConfig,
  ContainerState,
  ContainerStats,
  ContainerStatus,
  ImageInfo,
  LinuxResources,
  SandboxConfig,
  SandboxStatus,
} from './container-runtime.js';
import type {
  WireContainerConfig,
  WireContainerState,
  WireContainerStats,
  WireContainerStatus,
  WireImage,
  WireInt64,
  WireLinuxResources,
  WireNamespaceOption,
  WirePodSandboxConfig,
  WireSandboxStatus,
} from './cri-wire.js';

const NANOS_PER_MILLI = 1_000_000n;

export function nanosToMillis(value: WireInt64 | null | undefined): number {
  if (value === null || value === undefined || value === '' || value === 0) return 0;
  return Number(BigInt(value) / NANOS_PER_MILLI);
}

/**
 * Namespaces as the kubelet sets them for a v1 pod: network and IPC per pod (or the node's for
 * hostNetwork), PID per container (the v1 PodSpec default, shareProcessNamespace unset) unless
 * the container targets another one's (an ephemeral container's targetContainerName).
 */
export function namespaceOptions(hostNetwork: boolean, targetContainerId?: string): WireNamespaceOption {
  const network = hostNetwork ? 'NODE' : 'POD';
  if (targetContainerId) return { network, pid: 'TARGET', ipc: 'POD', target_id: targetContainerId };
  return { network, pid: 'CONTAINER', ipc: 'POD' };
}

/**
 * A host-network pod keeps the node's hostname, as the kubelet does: runc refuses to set one
 * without a private UTS namespace.
 */
export function toWireSandboxConfig(config: SandboxConfig): WirePodSandboxConfig {
  return {
    metadata: { ...config.metadata },
    hostname: config.hostNetwork ? '' : (config.hostname ?? ''),
    log_directory: config.logDirectory,
    dns_config: config.dnsConfig
      ? {
          servers: [...config.dnsConfig.servers],
          searches: [...config.dnsConfig.searches],
          options: [...config.dnsConfig.options],
        }
      : null,
    port_mappings: config.portMappings.map((port) => ({
      protocol: port.protocol,
      container_port: port.containerPort,
      host_port: port.hostPort,
      host_ip: port.hostIp ?? '',
    })),
    labels: { ...config.labels },
    annotations: { ...config.annotations },
    linux: {
      cgroup_parent: config.cgroupParent ?? '',
      security_context: { namespace_options: namespaceOptions(config.hostNetwork) },
    },
  };
}

/**
 * Zero means "not specified" for every field. oom_score_adj is always 0: a negative value makes
 * runc fail where CAP_SYS_RESOURCE is not in the bounding set (firmware-notes/host-runtime.md §1, pitfall 1).
 */
export function toWireResources(resources: LinuxResources | undefined): WireLinuxResources {
  return {
    cpu_period: resources?.cpuPeriod ?? 0,
    cpu_quota: resources?.cpuQuota ?? 0,
    cpu_shares: resources?.cpuShares ?? 0,
    memory_limit_in_bytes: resources?.memoryLimitBytes ?? 0,
    oom_score_adj: 0,
  };
}

export function toWireContainerConfig(config: ContainerConfig, sandbox: SandboxConfig): WireContainerConfig {
  return {
    metadata: { name: config.name, attempt: config.attempt },
    image: { image: config.image },
    command: [...config.command],
    args: [...config.args],
    working_dir: config.workingDir ?? '',
    envs: config.envs.map(({ key, value }) => ({ key, value })),
    mounts: config.mounts.map((mount) => ({
      container_path: mount.containerPath,
      host_path: mount.hostPath,
      readonly: mount.readonly,
    })),
    labels: { ...config.labels },
    annotations: { ...config.annotations },
    log_path: config.logPath,
    stdin: config.stdin ?? false,
    stdin_once: config.stdinOnce ?? false,
    tty: config.tty ?? false,
    linux: {
      resources: toWireResources(config.resources),
      security_context: {
        namespace_options: namespaceOptions(sandbox.hostNetwork, config.targetContainerId),
      },
    },
  };
}

export function fromWireSandboxStatus(status: WireSandboxStatus): SandboxStatus {
  const metadata = status.metadata ?? { name: '', namespace: '', uid: '', attempt: 0 };
  const ip = status.network?.ip;
  return {
    id: status.id,
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      uid: metadata.uid,
      attempt: metadata.attempt,
    },
    state: status.state === 'SANDBOX_READY' ? 'READY' : 'NOTREADY',
    createdAt: nanosToMillis(status.created_at),
    ip: ip ? ip : undefined,
    labels: { ...status.labels },
    annotations: { ...status.annotations },
  };
}

const CONTAINER_STATES: Record<WireContainerState, ContainerState> = {
  CONTAINER_CREATED: 'CREATED',
  CONTAINER_RUNNING: 'RUNNING',
  CONTAINER_EXITED: 'EXITED',
  CONTAINER_UNKNOWN: 'UNKNOWN',
};

export function fromWireContainerStatus(status: WireContainerStatus, podSandboxId: string): ContainerStatus {
  return {
    id: status.id,
    podSandboxId,
    name: status.metadata?.name ?? '',
    attempt: status.metadata?.attempt ?? 0,
    state: CONTAINER_STATES[status.state] ?? 'UNKNOWN',
    createdAt: nanosToMillis(status.created_at),
    startedAt: nanosToMillis(status.started_at),
    finishedAt: nanosToMillis(status.finished_at),
    exitCode: status.exit_code,
    reason: status.reason,
    message: status.message,
    image: status.image?.image ?? '',
    imageRef: status.image_ref,
    labels: { ...status.labels },
    annotations: { ...status.annotations },
    logPath: status.log_path,
  };
}

export function fromWireImage(image: WireImage): ImageInfo {
  return {
    id: image.id,
    repoTags: [...image.repo_tags],
    repoDigests: [...image.repo_digests],
    size: Number(image.size),
  };
}

function uint64(value: { value: WireInt64 } | null | undefined): number {
  return value ? Number(value.value) : 0;
}

/**
 * containerd 1.6 reports usage_nano_cores as 0 until it has two samples of its own, so 0 is
 * "unknown" here and the caller computes a rate from the cumulative CPU time instead.
 */
export function fromWireContainerStats(stats: WireContainerStats): ContainerStats {
  const nanoCores = uint64(stats.cpu?.usage_nano_cores);
  return {
    id: stats.attributes?.id ?? '',
    name: stats.attributes?.metadata?.name ?? '',
    labels: { ...(stats.attributes?.labels ?? {}) },
    timestamp: nanosToMillis(stats.cpu?.timestamp ?? stats.memory?.timestamp),
    cpuUsageCoreNanoSeconds: uint64(stats.cpu?.usage_core_nano_seconds),
    cpuUsageNanoCores: nanoCores > 0 ? nanoCores : undefined,
    memoryWorkingSetBytes: uint64(stats.memory?.working_set_bytes),
  };
}
