// What some printers need beside the object itself. A gateway's LAST-SEEN column is the renewTime
// of its Lease in kube-node-lease (the heartbeat), which the Node object does not carry: writing
// every heartbeat into the Node would cost a Node write (and a watch event to every node watcher)
// per gateway every 10 s, which is exactly why kubelet moved its heartbeat to Leases. The stored
// Lease itself is written lazily (up to 30 s behind, hub/edge-sync/node-lease.ts): the hub's
// in-memory heartbeat, when later, is what LAST-SEEN shows. A pod's LAST-SEEN is its node's.
import { isApiError } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { type HeartbeatView, laterTime } from '../../node-heartbeats.js';
import type { Registry } from '../registry/registry.js';

export interface TableLookups {
  /** RFC 3339 (micro)time of the node's last heartbeat; undefined when it has no Lease. */
  leaseRenewTime?(nodeName: string): string | undefined;
}

export const nodeLeaseNamespace = 'kube-node-lease';
const leases = { group: 'coordination.k8s.io', resource: 'leases' };

/** Whether printing `kind` needs lookups (only then is anything read). */
export function needsLookups(kind: string): boolean {
  return kind === 'Node' || kind === 'Pod';
}

/** The nodes whose heartbeats a table of `objects` shows: the Nodes, or the pods' nodes. */
function nodeNames(kind: string, objects: readonly KubeObject[]): Set<string> {
  const names = new Set<string>();
  for (const object of objects) {
    const name =
      kind === 'Node' ? object.metadata.name : (object.spec as { nodeName?: unknown } | undefined)?.nodeName;
    if (typeof name === 'string' && name !== '') names.add(name);
  }
  return names;
}

/** Reads what printing these objects needs: the Lease of each node (of each pod's node). */
export async function tableLookups(
  kind: string,
  objects: readonly KubeObject[],
  registry: Pick<Registry, 'for'>,
  heartbeats?: HeartbeatView,
): Promise<TableLookups> {
  if (!needsLookups(kind) || objects.length === 0) return {};
  const store = registry.for(leases);
  const renewTimes = new Map<string, string>();
  const remember = (lease: KubeObject) => {
    const renewTime = (lease.spec as { renewTime?: unknown } | undefined)?.renewTime;
    if (typeof renewTime === 'string' && lease.metadata.name) renewTimes.set(lease.metadata.name, renewTime);
  };
  // The in-memory heartbeat, when there is one, is never older than the stored Lease (which is
  // written from it): only gateways not heard since the hub started need their Lease read, not
  // every one of a 500-node page.
  const unheard = [...nodeNames(kind, objects)].filter((name) => heartbeats?.renewTime(name) === undefined);
  await Promise.all(
    unheard.map(async (name) => {
      try {
        remember(await store.get(nodeLeaseNamespace, name));
      } catch (err) {
        if (!isApiError(err) || err.reason !== 'NotFound') throw err;
      }
    }),
  );
  return { leaseRenewTime: (name) => laterTime(heartbeats?.renewTime(name), renewTimes.get(name)) };
}
