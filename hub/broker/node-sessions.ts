// One session per node name. Who may hold a name is decided before, by its bound node key
// (node-credentials.ts); here a client with the right key takes the session over (a gateway whose
// old TCP connection is half-open must get back in at once). Which client is current also decides
// whether a publish, or a Last Will, still speaks for the node: a session that was taken over must
// not mark its node offline. A revoked node's session is closed at once.
import type { Client } from 'aedes';
import type { Identity } from '../../api/mqtt/access.js';

export class NodeSessions {
  private readonly byNode = new Map<string, Client>();
  private readonly identities = new WeakMap<Client, Identity>();

  /** Remembers who an authenticated client is. */
  identify(client: Client, identity: Identity): void {
    this.identities.set(client, identity);
  }

  identity(client: Client | null): Identity | undefined {
    return client ? this.identities.get(client) : undefined;
  }

  /** Makes `client` the node's current session (its key was checked). */
  claim(node: string, client: Client): void {
    this.byNode.set(node, client);
  }

  isCurrent(node: string, client: Client): boolean {
    return this.byNode.get(node) === client;
  }

  /** Ends `client`'s binding; true when it was the node's current session. */
  release(node: string, client: Client): boolean {
    if (!this.isCurrent(node, client)) return false;
    this.byNode.delete(node);
    return true;
  }

  /**
   * Closes the node's current session (its credential was revoked); true when there was one. Its
   * presence goes offline as for any dropped session (broker.ts releases it on disconnect).
   */
  disconnect(node: string): boolean {
    const client = this.byNode.get(node);
    if (!client || client.closed) return false;
    client.close();
    return true;
  }

  connectedNodes(): string[] {
    return [...this.byNode.entries()].filter(([, c]) => !c.closed).map(([node]) => node);
  }
}
