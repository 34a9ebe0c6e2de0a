// The informers edge sync reads, and which gateways' own desired state each kind of change
// concerns: a pod its node (before and after a move), a config map or secret the nodes whose
// pods reference it (pod-referrers.ts), a Node itself. Services and EndpointSlices are shared
// state (shared-publisher.ts): they concern no gateway's own state.

import type { KubeObject } from '../../api/types.js';
import { type Informer, objectKey } from '../client/informer.js';
import type { SharedInformers } from '../client/shared-informers.js';
import { nodeNameOf as boundNodeOf } from '../controllers/objects/pods-on-node.js';
import { agentFormOf, fingerprintOf } from './agent-forms.js';
import { PodReferrers } from './pod-referrers.js';
import { segmentOf } from './segments.js';

export interface Informers {
  nodes: Informer;
  pods: Informer;
  configMaps: Informer;
  secrets: Informer;
  services: Informer;
  endpointSlices: Informer;
}

export interface ChangeTargets {
  node(name: string): void;
}

/** The node a pod is bound to; '' while it is not. */
export function nodeNameOf(pod: KubeObject): string {
  return boundNodeOf(pod) ?? '';
}

export function desiredInputInformers(informers: SharedInformers): Informers {
  return {
    nodes: informers.for({ group: '', resource: 'nodes' }),
    pods: informers.for({ group: '', resource: 'pods' }),
    configMaps: informers.for({ group: '', resource: 'configmaps' }),
    secrets: informers.for({ group: '', resource: 'secrets' }),
    services: informers.for({ group: '', resource: 'services' }),
    endpointSlices: informers.for({ group: 'discovery.k8s.io', resource: 'endpointslices' }),
  };
}

export function watchDesiredInputs(informers: SharedInformers, targets: ChangeTargets): Informers {
  const kinds = desiredInputInformers(informers);
  const referrers = new PodReferrers();
  const podNodes = (pod: KubeObject) => {
    const node = nodeNameOf(pod);
    if (node) targets.node(node);
  };
  kinds.pods.addHandler({
    add: (pod) => {
      podNodes(pod);
      referrers.set(objectKey(pod), pod);
    },
    update: (pod, old) => {
      // Most pod writes are status (the agents' own reports): nothing of the gateway's state.
      if (fingerprintOf(agentFormOf(pod)) === fingerprintOf(agentFormOf(old))) return;
      podNodes(pod);
      if (nodeNameOf(old) !== nodeNameOf(pod)) podNodes(old);
      referrers.set(objectKey(pod), pod);
    },
    delete: (pod) => {
      podNodes(pod);
      referrers.set(objectKey(pod), undefined);
    },
  });
  for (const kind of ['configMaps', 'secrets'] as const) {
    // Only the gateways running a pod that references it care.
    const changed = (obj: KubeObject) => {
      for (const key of referrers.of(obj.metadata.namespace ?? '', kind, obj.metadata.name ?? '')) {
        const pod = kinds.pods.get(key);
        if (pod) podNodes(pod);
      }
    };
    kinds[kind].addHandler({ add: changed, update: changed, delete: changed });
  }
  // Of a Node's updates only its pod network is its desired state: its pod CIDRs (set once by
  // node IPAM) and its segment. Other status writes (heartbeats, conditions) must not wake the
  // publisher, and no Node change concerns another gateway's own state (its route is shared).
  const podNetworkKey = (obj: KubeObject) => {
    const spec = (obj.spec ?? {}) as { podCIDR?: unknown; podCIDRs?: unknown };
    return JSON.stringify([spec.podCIDR, spec.podCIDRs, segmentOf(obj)]);
  };
  const own = (obj: KubeObject) => targets.node(obj.metadata.name ?? '');
  kinds.nodes.addHandler({
    add: own,
    update: (obj, old) => {
      if (podNetworkKey(obj) !== podNetworkKey(old)) own(obj);
    },
    delete: own,
  });
  return kinds;
}
