// Container resources → CRI LinuxResources, with the kubelet's cgroup arithmetic: CPU shares
// from the request (1024 per CPU, at least 2; the limit stands in for a missing request),
// CFS quota over a 100 ms period from the limit (at least 1 ms), memory limit in bytes.
import { parseQuantity } from '../../api/quantity.js';
import type { LinuxResources } from '../runtime/container-runtime.js';
import type { Container } from './pod-spec.js';

const minShares = 2;
const sharesPerCpu = 1024;
const quotaPeriodMicros = 100_000;
const minQuotaMicros = 1000;

function milliCpu(value: string | number | undefined): number {
  return value === undefined ? 0 : Math.round(parseQuantity(value) * 1000);
}

export function linuxResources(container: Container): LinuxResources {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const request = milliCpu(requests.cpu ?? limits.cpu);
  const resources: LinuxResources = {
    cpuShares: Math.max(minShares, Math.floor((request * sharesPerCpu) / 1000)),
  };
  const limit = milliCpu(limits.cpu);
  if (limit > 0) {
    resources.cpuPeriod = quotaPeriodMicros;
    resources.cpuQuota = Math.max(minQuotaMicros, Math.floor((limit * quotaPeriodMicros) / 1000));
  }
  if (limits.memory !== undefined) resources.memoryLimitBytes = Math.floor(parseQuantity(limits.memory));
  return resources;
}
