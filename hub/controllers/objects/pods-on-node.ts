// The pods bound to one node, from the shared pod informer's node index (kube's
// "spec.nodeName" indexer): found without a pass over every pod of the fleet.
import type { KubeObject } from '../../../api/types.js';
import type { Informer } from '../../client/informer.js';

const nodeNameIndex = 'spec.nodeName';

/** The node a pod is bound to; undefined while it is not. */
export function nodeNameOf(pod: KubeObject): string | undefined {
  const name = (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

export function podsOnNode(pods: Informer, node: string): KubeObject[] {
  pods.addIndex(nodeNameIndex, nodeNameOf);
  return pods.byIndex(nodeNameIndex, node);
}
