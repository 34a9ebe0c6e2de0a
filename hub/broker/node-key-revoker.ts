import type { Logger } from '../../api/logger.js';
// Deleting a Node revokes its gateway's credential: the name's key binding is deleted first, then
// the session closed, so the reconnect that follows finds no binding and needs a valid bootstrap
// token again. At start, bindings of Nodes deleted while the hub was down go too (before any
// gateway can connect); a gateway that was bound but never registered then joins again.
import type { KubeObject } from '../../api/types.js';
import type { Informer } from '../client/informer.js';
import type { Store } from '../store/store.js';
import { type NodeCredentials, nodeKeyNamespace, nodeOfKeySecret } from './node-credentials.js';
import type { NodeSessions } from './node-sessions.js';

export interface NodeKeyRevoker {
  stop(): void;
}

/** Bindings of Nodes deleted while the hub was down; run before the broker listens. */
export async function revokeOrphanBindings(
  store: Store,
  credentials: NodeCredentials,
  log: Logger,
): Promise<void> {
  const bindings = await store.list('secrets', { namespace: nodeKeyNamespace });
  for (const secret of bindings.items) {
    const node = nodeOfKeySecret(secret);
    if (!node || (await store.get('nodes', { name: node }))) continue;
    if (await credentials.revoke(node)) log.warn(`node key of ${node} revoked: its Node does not exist`);
  }
}

export function startNodeKeyRevoker(
  nodes: Informer,
  credentials: NodeCredentials,
  sessions: NodeSessions,
  log: Logger,
): NodeKeyRevoker {
  const revoke = async (node: string) => {
    try {
      if (await credentials.revoke(node)) log.info(`node key of ${node} revoked: its Node was deleted`);
    } catch (err) {
      log.warn(`node key of ${node} not revoked: ${(err as Error).message}`);
    } finally {
      if (sessions.disconnect(node)) log.info(`session of ${node} closed: its Node was deleted`);
    }
  };
  // The hub's shared nodes informer: handlers cannot be removed from it, so stop() mutes ours.
  let stopped = false;
  nodes.addHandler({
    delete: (node: KubeObject) => {
      if (!stopped) void revoke(node.metadata.name ?? '');
    },
  });
  return {
    stop: () => {
      stopped = true;
    },
  };
}
