// NodePorts: a container hostPort can be held by one pod per node, per protocol and host IP
// (0.0.0.0 overlaps every IP).
import type { FilterPlugin } from '../framework.js';

export const nodePortsReason = "node(s) didn't have free ports for the requested pod ports";

export const nodePortsFilter: FilterPlugin = {
  name: 'NodePorts',
  preFilter: (pod) => (pod.hostPorts.length === 0 ? { skip: true } : undefined),
  filter: (pod, node) => (node.portsConflict(pod.hostPorts) ? nodePortsReason : undefined),
};
