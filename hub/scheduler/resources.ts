// Resource amounts as plain numbers: cpu in millicores, memory and ephemeral storage in bytes,
// extended resources (nvidia.com/gpu, hugepages-2Mi, ...) in their own units. Quantities are
// parsed once, when a pod or node enters the scheduler's cache, never per scheduling decision.
import { parseQuantity } from '../../api/quantity.js';
import type { Container, PodSpec, Quantities } from './types.js';

export interface ResourceList {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources; undefined when there are none (the common case). */
  extended: Record<string, number> | undefined;
}

/** The pod's requests and, for scoring, the same with kube's defaults for unset cpu/memory. */
export interface PodRequests {
  requests: ResourceList;
  nonZeroMilliCPU: number;
  nonZeroMemory: number;
}

// kube's DefaultMilliCPURequest and DefaultMemoryRequest (pkg/scheduler/util/pod_resources.go):
// scoring treats a container that requests nothing as requesting this much, so that
// request-less pods still spread out.
export const defaultMilliCPURequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

export function emptyResources(): ResourceList {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, extended: undefined };
}

function amount(raw: string | number): number {
  try {
    return parseQuantity(raw);
  } catch {
    return 0; // validation rejects bad quantities at the API; never let one break scheduling
  }
}

/** Like Quantity.MilliValue/Value: round up, ignoring float noise from decimal suffixes. */
function roundUp(value: number): number {
  return Math.ceil(value - 1e-9);
}

export function parseResources(quantities: Quantities | undefined): ResourceList {
  const list = emptyResources();
  if (!quantities) return list;
  for (const [name, raw] of Object.entries(quantities)) {
    const value = amount(raw);
    if (name === 'cpu') list.milliCPU = roundUp(value * 1000);
    else if (name === 'memory') list.memory = roundUp(value);
    else if (name === 'ephemeral-storage') list.ephemeralStorage = roundUp(value);
    else if (name !== 'pods') list.extended = { ...list.extended, [name]: roundUp(value) };
  }
  return list;
}

export function addInto(target: ResourceList, add: ResourceList, sign = 1): void {
  target.milliCPU += sign * add.milliCPU;
  target.memory += sign * add.memory;
  target.ephemeralStorage += sign * add.ephemeralStorage;
  if (!add.extended) return;
  target.extended ??= {};
  for (const [name, value] of Object.entries(add.extended)) {
    target.extended[name] = (target.extended[name] ?? 0) + sign * value;
  }
}

function maxInto(target: ResourceList, other: ResourceList): void {
  target.milliCPU = Math.max(target.milliCPU, other.milliCPU);
  target.memory = Math.max(target.memory, other.memory);
  target.ephemeralStorage = Math.max(target.ephemeralStorage, other.ephemeralStorage);
  if (!other.extended) return;
  target.extended ??= {};
  for (const [name, value] of Object.entries(other.extended)) {
    target.extended[name] = Math.max(target.extended[name] ?? 0, value);
  }
}

function clone(list: ResourceList): ResourceList {
  return { ...list, extended: list.extended ? { ...list.extended } : undefined };
}

function containerRequests(container: Container, nonZero: boolean): ResourceList {
  const { requests, limits } = container.resources ?? {};
  // API defaulting copies limits into absent requests; do the same for objects stored without it.
  const merged = limits ? { ...limits, ...requests } : requests;
  const list = parseResources(merged);
  if (nonZero) {
    if (merged?.cpu === undefined) list.milliCPU = defaultMilliCPURequest;
    if (merged?.memory === undefined) list.memory = defaultMemoryRequest;
  }
  return list;
}

/**
 * kube's PodRequests: regular containers and sidecars (init containers with restartPolicy
 * Always) run together and add up; each ordinary init container runs alone next to the
 * sidecars started before it; the pod needs the larger of the two, plus its overhead.
 */
function sumRequests(spec: PodSpec, nonZero: boolean): ResourceList {
  const total = emptyResources();
  for (const c of spec.containers ?? []) addInto(total, containerRequests(c, nonZero));
  const sidecars = emptyResources();
  const initPeak = emptyResources();
  for (const c of spec.initContainers ?? []) {
    const own = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      const running = clone(sidecars);
      addInto(running, own);
      maxInto(initPeak, running);
    }
  }
  maxInto(total, initPeak);
  if (spec.overhead) addInto(total, parseResources(spec.overhead));
  return total;
}

export function podRequests(spec: PodSpec): PodRequests {
  const nonZero = sumRequests(spec, true);
  return {
    requests: sumRequests(spec, false),
    nonZeroMilliCPU: nonZero.milliCPU,
    nonZeroMemory: nonZero.memory,
  };
}
