// Pure builders of what the gateway tells the hub about itself at registration: capacity and
// allocatable (kubelet's rules), addresses, NodeSystemInfo. Collectors (host-facts.ts) feed them.

import { protocolVersion } from '../../api/mqtt/payloads/desired-state.js';
import type {
  NodeAddress,
  NodeRegistration,
  NodeSystemInfo,
  RegisteredTaint,
} from '../../api/mqtt/payloads/node-registration.js';
import type { ResourceQuantities } from '../../api/mqtt/payloads/node-status.js';
import type { RuntimeVersion } from '../runtime/container-runtime.js';
import type { HostInfo } from './host-facts.js';
import { kubeArch, kubeOs } from './node-labels.js';
import { agentVersion, kubeletVersion } from './versions.js';

/** kubelet's --max-pods default. */
export const maxPods = 110;
/** kubelet's default hard eviction thresholds, which allocatable keeps clear of. */
export const evictionReserve = { memoryBytes: 100 * 1024 * 1024, diskFraction: 0.1 };

function kibibytes(bytes: number): string {
  return `${Math.max(0, Math.floor(bytes / 1024))}Ki`;
}

export function nodeCapacity(info: HostInfo): ResourceQuantities {
  return {
    cpu: String(info.cpuCores),
    memory: kibibytes(info.memoryTotalBytes),
    'ephemeral-storage': kibibytes(info.diskTotalBytes),
    pods: String(maxPods),
  };
}

/** Capacity minus the eviction thresholds (no kube-reserved or system-reserved by default). */
export function nodeAllocatable(info: HostInfo): ResourceQuantities {
  return {
    cpu: String(info.cpuCores),
    memory: kibibytes(info.memoryTotalBytes - evictionReserve.memoryBytes),
    'ephemeral-storage': kibibytes(info.diskTotalBytes * (1 - evictionReserve.diskFraction)),
    pods: String(maxPods),
  };
}

/** Bridges and veths of container networking never carry the node's own address. */
const virtualInterface = /^(cni|docker|veth|br-|virbr|flannel|cali|kube|lxc|edgebr)/;

export function nodeAddresses(info: Pick<HostInfo, 'hostname' | 'interfaces'>): NodeAddress[] {
  const candidates = Object.entries(info.interfaces).flatMap(([name, addresses]) =>
    (addresses ?? [])
      // Link-local addresses (169.254/16, such as the agent's own DNS address on flotilla-dns0)
      // are not reachable from other hosts: never an InternalIP.
      .filter((a) => a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.'))
      .map((a) => ({ name, address: a.address })),
  );
  const internal = candidates.find((c) => !virtualInterface.test(c.name)) ?? candidates[0];
  const addresses: NodeAddress[] = [];
  if (internal) addresses.push({ type: 'InternalIP', address: internal.address });
  addresses.push({ type: 'Hostname', address: info.hostname });
  return addresses;
}

export function nodeSystemInfo(info: HostInfo, runtime: RuntimeVersion | undefined): NodeSystemInfo {
  const system: NodeSystemInfo = {
    architecture: kubeArch(info.arch),
    operatingSystem: kubeOs(info.platform),
    kubeletVersion,
  };
  if (info.kernelVersion) system.kernelVersion = info.kernelVersion;
  if (info.osImage) system.osImage = info.osImage;
  if (info.machineID) system.machineID = info.machineID;
  if (info.bootID) system.bootID = info.bootID;
  if (runtime) system.containerRuntimeVersion = `${runtime.runtimeName}://${runtime.runtimeVersion}`;
  return system;
}

export interface RegistrationInput {
  info: HostInfo;
  runtime: RuntimeVersion | undefined;
  labels: Record<string, string>;
  taints: RegisteredTaint[];
  observedAt: number;
}

export function buildRegistration(input: RegistrationInput): NodeRegistration {
  const registration: NodeRegistration = {
    observedAt: input.observedAt,
    labels: input.labels,
    capacity: nodeCapacity(input.info),
    allocatable: nodeAllocatable(input.info),
    nodeInfo: nodeSystemInfo(input.info, input.runtime),
    addresses: nodeAddresses(input.info),
    agentVersion,
    protocol: protocolVersion,
  };
  if (input.taints.length > 0) registration.taints = input.taints;
  if (input.info.hardwareModel) registration.hardwareModel = input.info.hardwareModel.slice(0, 256);
  return registration;
}
