// The binding write, in process: exactly what POST pods/<name>/binding does, through the same
// assignToNode, without the HTTP round trip.
import type { Clock } from '../../api/clock.js';
import type { GroupResource } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { assignToNode } from '../apiserver/registry/pod-binding.js';
import type { Registry } from '../apiserver/registry/registry.js';
import type { PodObject } from './types.js';

const pods: GroupResource = { group: '', resource: 'pods' };

export async function bindPod(
  registry: Registry,
  clock: Clock,
  pod: PodObject,
  nodeName: string,
): Promise<KubeObject> {
  const { namespace, name, uid } = pod.metadata;
  return registry
    .for(pods)
    .modify(namespace, name!, (current) => assignToNode(current, nodeName, clock.now(), uid), {
      subresource: 'binding',
    });
}
