// Node conditions from usage readings and the runtime's status, with kubelet's reasons and its
// default hard-eviction thresholds as the pressure limits. Pure: readings in, conditions out.
import type { NodeConditionReport } from '../../api/mqtt/payloads/node-status.js';
import type { RuntimeCondition } from '../runtime/container-runtime.js';
import type { HostUsage } from './host-facts.js';

export interface PressureThresholds {
  memoryAvailableBytes: number;
  diskAvailableFraction: number;
  inodesFreeFraction: number;
  pidsAvailableFraction: number;
}

/** kubelet's evictionHard defaults (memory.available<100Mi, nodefs.available<10%, inodesFree<5%). */
export const defaultThresholds: PressureThresholds = {
  memoryAvailableBytes: 100 * 1024 * 1024,
  diskAvailableFraction: 0.1,
  inodesFreeFraction: 0.05,
  pidsAvailableFraction: 0.1,
};

type Pressure = boolean | undefined;

function pressureCondition(
  type: string,
  pressure: Pressure,
  [okReason, okMessage]: [string, string],
  [badReason, badMessage]: [string, string],
): NodeConditionReport {
  if (pressure === undefined)
    return { type, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'no reading' };
  return pressure
    ? { type, status: 'True', reason: badReason, message: badMessage }
    : { type, status: 'False', reason: okReason, message: okMessage };
}

function diskPressure(usage: HostUsage, limits: PressureThresholds): Pressure {
  const disk = usage.disk;
  if (!disk || disk.totalBytes === 0) return undefined;
  const lowSpace = disk.availableBytes / disk.totalBytes < limits.diskAvailableFraction;
  const lowInodes = disk.inodesTotal > 0 && disk.inodesFree / disk.inodesTotal < limits.inodesFreeFraction;
  return lowSpace || lowInodes;
}

function runtimeFlag(conditions: RuntimeCondition[], type: string): RuntimeCondition | undefined {
  return conditions.find((c) => c.type === type);
}

function describe(c: RuntimeCondition | undefined, type: string): string {
  if (!c) return `${type} not reported`;
  return `${type}=${c.status} reason:${c.reason} message:${c.message}`;
}

/** `runtime` is the runtime's Status answer, or the error the call failed with. */
export function readiness(runtime: RuntimeCondition[] | Error): NodeConditionReport[] {
  if (runtime instanceof Error) {
    return [
      {
        type: 'Ready',
        status: 'False',
        reason: 'KubeletNotReady',
        message: `container runtime is down: ${runtime.message}`,
      },
    ];
  }
  const ready = runtimeFlag(runtime, 'RuntimeReady');
  const network = runtimeFlag(runtime, 'NetworkReady');
  const conditions: NodeConditionReport[] = [
    ready?.status
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'agent is posting ready status' }
      : {
          type: 'Ready',
          status: 'False',
          reason: 'KubeletNotReady',
          message: `container runtime not ready: ${describe(ready, 'RuntimeReady')}`,
        },
  ];
  // A gateway without CNI still runs host-network pods, so network trouble does not make the
  // node NotReady (kubelet would); it is reported as NetworkUnavailable instead.
  conditions.push(
    network?.status
      ? { type: 'NetworkUnavailable', status: 'False', reason: 'RuntimeNetworkReady' }
      : {
          type: 'NetworkUnavailable',
          status: 'True',
          reason: 'NetworkPluginNotReady',
          message: `${describe(network, 'NetworkReady')}; host-network pods only`,
        },
  );
  return conditions;
}

export function pressureConditions(
  usage: HostUsage,
  limits: PressureThresholds = defaultThresholds,
): NodeConditionReport[] {
  const memory =
    usage.memoryAvailableBytes === undefined
      ? undefined
      : usage.memoryAvailableBytes < limits.memoryAvailableBytes;
  const pids = usage.pids
    ? (usage.pids.max - usage.pids.used) / usage.pids.max < limits.pidsAvailableFraction
    : undefined;
  return [
    pressureCondition(
      'MemoryPressure',
      memory,
      ['KubeletHasSufficientMemory', 'agent has sufficient memory available'],
      ['KubeletHasInsufficientMemory', 'agent has insufficient memory available'],
    ),
    pressureCondition(
      'DiskPressure',
      diskPressure(usage, limits),
      ['KubeletHasNoDiskPressure', 'agent has no disk pressure'],
      ['KubeletHasDiskPressure', 'agent has disk pressure'],
    ),
    pressureCondition(
      'PIDPressure',
      pids,
      ['KubeletHasSufficientPID', 'agent has sufficient PID available'],
      ['KubeletHasInsufficientPID', 'agent has insufficient PID available'],
    ),
  ];
}
