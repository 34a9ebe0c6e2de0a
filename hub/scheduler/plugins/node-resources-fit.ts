// NodeResourcesFit: the pod's requests must fit in what the node can allocate minus what its
// pods (bound or assumed) already request; every short resource is a reason of its own, as
// in kube (`Insufficient cpu`, `Insufficient memory`, `Too many pods`, ...).
import type { FilterPlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { ResourceList } from '../resources.js';

export const tooManyPodsReason = 'Too many pods';

function shortages(want: ResourceList, node: NodeInfo, reasons: string[]): void {
  const free = node.allocatable;
  const used = node.requested;
  if (want.milliCPU > 0 && want.milliCPU > free.milliCPU - used.milliCPU) reasons.push('Insufficient cpu');
  if (want.memory > 0 && want.memory > free.memory - used.memory) reasons.push('Insufficient memory');
  if (want.ephemeralStorage > 0 && want.ephemeralStorage > free.ephemeralStorage - used.ephemeralStorage) {
    reasons.push('Insufficient ephemeral-storage');
  }
  for (const [name, amount] of Object.entries(want.extended ?? {})) {
    const available = (free.extended?.[name] ?? 0) - (used.extended?.[name] ?? 0);
    if (amount > 0 && amount > available) reasons.push(`Insufficient ${name}`);
  }
}

export const nodeResourcesFitFilter: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter: (pod, node) => {
    const want = pod.requests.requests;
    const full = node.pods.size + 1 > node.allowedPods;
    const free = node.allocatable;
    const used = node.requested;
    // The common case, decided without allocating: everything fits.
    if (
      !full &&
      want.milliCPU <= free.milliCPU - used.milliCPU &&
      want.memory <= free.memory - used.memory &&
      want.ephemeralStorage <= free.ephemeralStorage - used.ephemeralStorage &&
      want.extended === undefined
    ) {
      return undefined;
    }
    const reasons: string[] = full ? [tooManyPodsReason] : [];
    shortages(want, node, reasons);
    return reasons.length === 0 ? undefined : reasons;
  },
};
