// The CONTAINERS and IMAGES cells that workload kinds print with `-o wide`: every
// container of the pod template, comma separated, in spec order.
import { listOf, recordOf } from './field-readers.js';

export interface ContainerView {
  name?: string;
  image?: string;
}

export interface PodTemplateView {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: ContainerView[]; nodeSelector?: Record<string, string> };
}

/** [names, images] of the containers of a pod template. */
export function containerCells(template: PodTemplateView | undefined): [string, string] {
  const containers = listOf<ContainerView>(recordOf(recordOf(template).spec).containers);
  return [containers.map((c) => c.name ?? '').join(','), containers.map((c) => c.image ?? '').join(',')];
}
