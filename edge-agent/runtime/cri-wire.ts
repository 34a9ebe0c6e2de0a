// The shapes of runtime.v1 messages as cri-proto.ts decodes them (protobufjs with keepCase,
// { longs: String, enums: String, defaults: true }): snake_case keys, int64 as decimal
// strings, enums by name, unset messages as null, bytes as Buffer. Only the fields Flotilla
// reads or writes are typed; see proto/cri-runtime-v1.proto.

/** int64 on the wire: decoded to a decimal string; numbers are accepted when sending. */
export type WireInt64 = string | number;
export type WireMap = Record<string, string>;

export type WireNamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type WireSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type WireContainerState =
  | 'CONTAINER_CREATED'
  | 'CONTAINER_RUNNING'
  | 'CONTAINER_EXITED'
  | 'CONTAINER_UNKNOWN';

export interface WireSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface WireNamespaceOption {
  network: WireNamespaceMode;
  pid: WireNamespaceMode;
  ipc: WireNamespaceMode;
  /** The container whose namespace a TARGET mode joins. */
  target_id?: string;
}

export interface WirePodSandboxConfig {
  metadata: WireSandboxMetadata;
  hostname: string;
  log_directory: string;
  dns_config: { servers: string[]; searches: string[]; options: string[] } | null;
  port_mappings: { protocol: string; container_port: number; host_port: number; host_ip: string }[];
  labels: WireMap;
  annotations: WireMap;
  linux: {
    cgroup_parent: string;
    security_context: { namespace_options: WireNamespaceOption };
  };
}

export interface WireSandboxStatus {
  id: string;
  metadata: WireSandboxMetadata | null;
  state: WireSandboxState;
  created_at: WireInt64;
  network: { ip: string } | null;
  labels: WireMap;
  annotations: WireMap;
}

export interface WireSandbox {
  id: string;
  metadata: WireSandboxMetadata | null;
  state: WireSandboxState;
  created_at: WireInt64;
  labels: WireMap;
  annotations: WireMap;
}

export interface WireLinuxResources {
  cpu_period: WireInt64;
  cpu_quota: WireInt64;
  cpu_shares: WireInt64;
  memory_limit_in_bytes: WireInt64;
  oom_score_adj: WireInt64;
}

export interface WireContainerConfig {
  metadata: { name: string; attempt: number };
  image: { image: string };
  command: string[];
  args: string[];
  working_dir: string;
  envs: { key: string; value: string }[];
  mounts: { container_path: string; host_path: string; readonly: boolean }[];
  labels: WireMap;
  annotations: WireMap;
  log_path: string;
  stdin: boolean;
  stdin_once: boolean;
  tty: boolean;
  linux: {
    resources: WireLinuxResources;
    security_context: { namespace_options: WireNamespaceOption };
  };
}

export interface WireContainer {
  id: string;
  pod_sandbox_id: string;
  state: WireContainerState;
}

export interface WireContainerStatus {
  id: string;
  metadata: { name: string; attempt: number } | null;
  state: WireContainerState;
  created_at: WireInt64;
  started_at: WireInt64;
  finished_at: WireInt64;
  exit_code: number;
  image: { image: string } | null;
  image_ref: string;
  reason: string;
  message: string;
  labels: WireMap;
  annotations: WireMap;
  log_path: string;
}

export interface WireImage {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: WireInt64;
}

export interface WireUInt64Value {
  value: WireInt64;
}

export interface WireContainerStats {
  attributes: {
    id: string;
    metadata: { name: string; attempt: number } | null;
    labels: WireMap;
    annotations: WireMap;
  } | null;
  cpu: {
    timestamp: WireInt64;
    usage_core_nano_seconds: WireUInt64Value | null;
    usage_nano_cores: WireUInt64Value | null;
  } | null;
  memory: { timestamp: WireInt64; working_set_bytes: WireUInt64Value | null } | null;
}

/** Request and response of every call Flotilla makes, keyed by `<Service>/<Method>`. */
export interface CriCalls {
  'RuntimeService/Version': [
    { version: string },
    { version: string; runtime_name: string; runtime_version: string; runtime_api_version: string },
  ];
  'RuntimeService/Status': [
    { verbose: boolean },
    { status: { conditions: { type: string; status: boolean; reason: string; message: string }[] } | null },
  ];
  'RuntimeService/RunPodSandbox': [{ config: WirePodSandboxConfig }, { pod_sandbox_id: string }];
  'RuntimeService/StopPodSandbox': [{ pod_sandbox_id: string }, object];
  'RuntimeService/RemovePodSandbox': [{ pod_sandbox_id: string }, object];
  'RuntimeService/PodSandboxStatus': [
    { pod_sandbox_id: string; verbose: boolean },
    { status: WireSandboxStatus | null },
  ];
  'RuntimeService/ListPodSandbox': [{ filter?: { id?: string } }, { items: WireSandbox[] }];
  'RuntimeService/CreateContainer': [
    { pod_sandbox_id: string; config: WireContainerConfig; sandbox_config: WirePodSandboxConfig },
    { container_id: string },
  ];
  'RuntimeService/StartContainer': [{ container_id: string }, object];
  'RuntimeService/StopContainer': [{ container_id: string; timeout: WireInt64 }, object];
  'RuntimeService/RemoveContainer': [{ container_id: string }, object];
  'RuntimeService/ListContainers': [
    { filter?: { id?: string; pod_sandbox_id?: string } },
    { containers: WireContainer[] },
  ];
  'RuntimeService/ContainerStatus': [
    { container_id: string; verbose: boolean },
    { status: WireContainerStatus | null },
  ];
  'RuntimeService/ExecSync': [
    { container_id: string; cmd: string[]; timeout: WireInt64 },
    { stdout: Buffer; stderr: Buffer; exit_code: number },
  ];
  'RuntimeService/Exec': [
    { container_id: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean },
    { url: string },
  ];
  'RuntimeService/Attach': [
    { container_id: string; stdin: boolean; tty: boolean; stdout: boolean; stderr: boolean },
    { url: string },
  ];
  'RuntimeService/PortForward': [{ pod_sandbox_id: string; port: number[] }, { url: string }];
  'RuntimeService/ContainerStats': [{ container_id: string }, { stats: WireContainerStats | null }];
  'RuntimeService/ListContainerStats': [
    { filter?: { id?: string; pod_sandbox_id?: string } },
    { stats: WireContainerStats[] },
  ];
  'ImageService/ListImages': [object, { images: WireImage[] }];
  'ImageService/ImageStatus': [{ image: { image: string }; verbose: boolean }, { image: WireImage | null }];
  'ImageService/PullImage': [{ image: { image: string } }, { image_ref: string }];
}

export type CriMethod = keyof CriCalls;
