// NodeName: a pod that names its node (spec.nodeName) fits only there. Pods the scheduler picks
// up have no node name, so this matters only to callers that test an already-placed pod.
import type { FilterPlugin } from '../framework.js';

export const nodeNameReason = "node(s) didn't match the requested node name";

export const nodeNameFilter: FilterPlugin = {
  name: 'NodeName',
  preFilter: (pod) => (pod.nodeName ? undefined : { skip: true }),
  filter: (pod, node) => (node.name === pod.nodeName ? undefined : nodeNameReason),
};
