// The informers edge sync reads, and which gateways each kind of change concerns: a pod its
// node (before and after a move), a config map or secret the nodes whose pods reference it,
// a service or endpoint slice every node, a Node itself.

import type { KubeObject } from '../../api/types.js';
import type { Informer } from '../controllers/runtime/informer.js';
import type { SharedInformers } from '../controllers/runtime/shared-informers.js';
import { internalIPv4Of } from './desired-state.js';

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
  namespace(namespace: string, kind: 'configMaps' | 'secrets', name: string): void;
  everyone(): void;
}

export function nodeNameOf(pod: KubeObject): string {
  const name = (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
  return typeof name === 'string' ? name : '';
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
  const podNodes = (pod: KubeObject) => {
    const node = nodeNameOf(pod);
    if (node) targets.node(node);
  };
  kinds.pods.addHandler({
    add: podNodes,
    update: (pod, old) => {
      podNodes(pod);
      if (nodeNameOf(old) !== nodeNameOf(pod)) podNodes(old);
    },
    delete: podNodes,
  });
  for (const kind of ['configMaps', 'secrets'] as const) {
    const changed = (obj: KubeObject) =>
      targets.namespace(obj.metadata.namespace ?? '', kind, obj.metadata.name ?? '');
    kinds[kind].addHandler({ add: changed, update: changed, delete: changed });
  }
  for (const kind of ['services', 'endpointSlices'] as const) {
    kinds[kind].addHandler({ add: targets.everyone, update: targets.everyone, delete: targets.everyone });
  }
  // Of a Node's updates only its pod network is desired state: its pod CIDRs (set once by node
  // IPAM) for itself, and with its InternalIP the route every other gateway takes to its pods.
  // Other status writes (heartbeats, conditions) must not wake the publisher.
  const podNetworkKey = (obj: KubeObject) => {
    const spec = (obj.spec ?? {}) as { podCIDR?: unknown; podCIDRs?: unknown };
    return JSON.stringify([spec.podCIDR, spec.podCIDRs, internalIPv4Of(obj)]);
  };
  kinds.nodes.addHandler({
    add: targets.everyone,
    update: (obj, old) => {
      if (podNetworkKey(obj) !== podNetworkKey(old)) targets.everyone();
    },
    delete: targets.everyone,
  });
  return kinds;
}
