// The node status report (conditions, resources, images) and what counts as a change: the
// agent publishes on change or on a slow timer, so the signature leaves out what moves all the
// time (observedAt, exact free memory) and keeps what the hub and the scheduler act on.
import type {
  ContainerImage,
  NodeConditionReport,
  NodeStatusReport,
  ResourceQuantities,
} from '../../api/mqtt/payloads/node-status.js';
import type { ImageInfo, RuntimeCondition } from '../runtime/container-runtime.js';
import type { HostInfo, HostUsage } from './host-facts.js';
import { pressureConditions, readiness } from './node-conditions.js';
import { nodeAllocatable, nodeCapacity } from './node-report.js';

/** kubelet's --node-status-max-images default. */
export const maxReportedImages = 50;

/** Largest first, as kubelet reports them, for the scheduler's ImageLocality score. */
export function nodeImages(images: ImageInfo[], max = maxReportedImages): ContainerImage[] {
  return [...images]
    .sort((a, b) => b.size - a.size)
    .slice(0, max)
    .map((image) => {
      const names = [...image.repoDigests, ...image.repoTags];
      return { names: names.length > 0 ? names : [image.id], sizeBytes: image.size };
    });
}

export interface StatusInput {
  observedAt: number;
  info: HostInfo;
  usage: HostUsage;
  runtime: RuntimeCondition[] | Error;
  images: ImageInfo[] | undefined;
}

export function buildNodeStatus(input: StatusInput): NodeStatusReport {
  const conditions: NodeConditionReport[] = [...readiness(input.runtime), ...pressureConditions(input.usage)];
  const capacity: ResourceQuantities = nodeCapacity(input.info);
  const report: NodeStatusReport = {
    observedAt: input.observedAt,
    conditions,
    capacity,
    allocatable: nodeAllocatable(input.info),
  };
  if (input.images) report.images = nodeImages(input.images);
  return report;
}

/** Equal for two reports the hub would store the same way, apart from times. */
export function statusSignature(report: NodeStatusReport): string {
  return JSON.stringify([
    report.conditions.map((c) => [c.type, c.status, c.reason ?? '']),
    report.capacity ?? {},
    report.allocatable ?? {},
    (report.images ?? []).map((image) => image.names[0] ?? ''),
  ]);
}
