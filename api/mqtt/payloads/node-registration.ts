// Node registration: what kubelet's registerWithAPIServer sends, flattened. The agent sends it
// after every CONNACK; the hub creates the Node (or refreshes its labels and status) and marks
// it Ready. Taints are applied only when the Node is created (kubelet --register-with-taints).
import type { Taint, TaintEffect } from '../../core-v1.js';
import { invalidValue, required } from '../../errors.js';
import { validateLabels } from '../../validation/labels.js';
import { validateTaints } from '../../validation/tolerations.js';
import {
  needEnum,
  needEpochMillis,
  needRecord,
  needRecords,
  needString,
  objectPayload,
  optCount,
  optString,
  type Validator,
} from './checks.js';
import { checkQuantities, type ResourceQuantities } from './node-status.js';

export const nodeAddressTypes = [
  'InternalIP',
  'ExternalIP',
  'Hostname',
  'InternalDNS',
  'ExternalDNS',
] as const;
export type NodeAddressType = (typeof nodeAddressTypes)[number];

export interface NodeAddress {
  type: NodeAddressType;
  address: string;
}

/** core/v1 NodeSystemInfo; architecture is the GOARCH name (amd64, arm64, arm). */
export interface NodeSystemInfo {
  architecture: string;
  operatingSystem: string;
  kernelVersion?: string;
  osImage?: string;
  containerRuntimeVersion?: string;
  kubeletVersion?: string;
  kubeProxyVersion?: string;
  machineID?: string;
  systemUUID?: string;
  bootID?: string;
}

/** A taint as a gateway registers it (core/v1 Taint with its effect checked). */
export type RegisteredTaint = Pick<Taint, 'key' | 'value'> & { effect: TaintEffect };

export interface NodeRegistration {
  observedAt: number;
  /** Must include every key of `requiredNodeLabels`. */
  labels: Record<string, string>;
  /** From --register-with-taints; used when the Node is created, ignored afterwards. */
  taints?: RegisteredTaint[];
  capacity: ResourceQuantities;
  allocatable: ResourceQuantities;
  nodeInfo: NodeSystemInfo;
  addresses: NodeAddress[];
  agentVersion?: string;
  /**
   * The machine's hardware model (the device tree's model on ARM boards, the DMI product name
   * elsewhere), when the gateway can read it; the site cloud provider makes it the Node's
   * node.kubernetes.io/instance-type.
   */
  hardwareModel?: string;
  /**
   * The desired-state protocol version the agent speaks (protocolVersion in desired-state.ts);
   * absent means 1. A hub speaking another version refuses the registration.
   */
  protocol?: number;
}

export const requiredNodeLabels = [
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'kubernetes.io/hostname',
] as const;

const optionalInfo = [
  'kernelVersion',
  'osImage',
  'containerRuntimeVersion',
  'kubeletVersion',
  'kubeProxyVersion',
  'machineID',
  'systemUUID',
  'bootID',
] as const;

export const validateNodeRegistration: Validator<NodeRegistration> = objectPayload((errs, body) => {
  needEpochMillis(errs, body.observedAt, 'observedAt');
  const labels = needRecord(errs, body.labels, 'labels');
  if (labels) {
    errs.push(...validateLabels(labels, 'labels'));
    for (const key of requiredNodeLabels)
      if (labels[key] === undefined) errs.push(required(`labels[${key}]`));
  }
  errs.push(...validateTaints(body.taints, 'taints'));
  needRecord(errs, body.capacity, 'capacity');
  checkQuantities(errs, body.capacity, 'capacity');
  needRecord(errs, body.allocatable, 'allocatable');
  checkQuantities(errs, body.allocatable, 'allocatable');
  const info = needRecord(errs, body.nodeInfo, 'nodeInfo') ?? {};
  const arch = needString(errs, info.architecture, 'nodeInfo.architecture', 32);
  needString(errs, info.operatingSystem, 'nodeInfo.operatingSystem', 32);
  for (const key of optionalInfo) optString(errs, info[key], `nodeInfo.${key}`, 256);
  if (arch && labels && labels['kubernetes.io/arch'] !== undefined && labels['kubernetes.io/arch'] !== arch) {
    errs.push(
      invalidValue(
        'labels[kubernetes.io/arch]',
        labels['kubernetes.io/arch'],
        `must equal nodeInfo.architecture (${JSON.stringify(arch)})`,
      ),
    );
  }
  for (const [address, at] of needRecords(errs, body.addresses, 'addresses', 16)) {
    needEnum(errs, address.type, `${at}.type`, nodeAddressTypes);
    needString(errs, address.address, `${at}.address`, 253);
  }
  optString(errs, body.agentVersion, 'agentVersion', 64);
  optString(errs, body.hardwareModel, 'hardwareModel', 256);
  optCount(errs, body.protocol, 'protocol');
});
