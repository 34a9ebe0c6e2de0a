// One session per node name. A client claiming a name whose session is up with another node
// key is refused (name squatting); the same key reconnecting takes the session over (a gateway
// whose old TCP connection is half-open must get back in at once). Which client is current
// also decides whether a publish, or a Last Will, still speaks for the node: a session that was
// taken over must not mark its node offline.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Client } from 'aedes';
import type { Identity } from '../../api/mqtt/access.js';

interface Binding {
  client: Client;
  keyHash: Buffer;
}

function hashKey(nodeKey: string): Buffer {
  return createHash('sha256').update(nodeKey).digest();
}

export class NodeSessions {
  private readonly byNode = new Map<string, Binding>();
  private readonly identities = new WeakMap<Client, Identity>();

  /** Remembers who an authenticated client is. */
  identify(client: Client, identity: Identity): void {
    this.identities.set(client, identity);
  }

  identity(client: Client | null): Identity | undefined {
    return client ? this.identities.get(client) : undefined;
  }

  /** Binds `node` to `client`; false when another live client holds it with a different key. */
  claim(node: string, client: Client, nodeKey: string): boolean {
    const keyHash = hashKey(nodeKey);
    const current = this.byNode.get(node);
    if (
      current &&
      current.client !== client &&
      !current.client.closed &&
      !timingSafeEqual(current.keyHash, keyHash)
    ) {
      return false;
    }
    this.byNode.set(node, { client, keyHash });
    return true;
  }

  isCurrent(node: string, client: Client): boolean {
    return this.byNode.get(node)?.client === client;
  }

  /** Ends `client`'s binding; true when it was the node's current session. */
  release(node: string, client: Client): boolean {
    if (!this.isCurrent(node, client)) return false;
    this.byNode.delete(node);
    return true;
  }

  connectedNodes(): string[] {
    return [...this.byNode.entries()].filter(([, b]) => !b.client.closed).map(([node]) => node);
  }
}
