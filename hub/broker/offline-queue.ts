// A bound on what the broker keeps for a gateway that is away. Gateways hold persistent
// sessions, so aedes queues every QoS 1 message for them while they are offline — in memory,
// without limit (an hour's desired-state deltas and shared-object changes, times every gateway
// that is down). None of it is needed to catch up: after every CONNACK a gateway subscribes
// again (every shared object comes back as a retained message) and asks for a resync (its whole
// desired state). So past a bound, later messages for that gateway are not queued; a short
// network blip still gets all it missed. Only gateways' queues are bounded.
import type { Aedes, Client } from 'aedes';
import type { Logger } from '../../api/logger.js';
import { maxOfflineMessages } from '../../api/mqtt/agent-session.js';
import { nodeClientPrefix } from '../../api/mqtt/credentials.js';

interface Subscription {
  clientId: string;
}

type Enqueue = (subs: Subscription[], packet: unknown) => Promise<void>;

export function boundOfflineQueues(broker: Aedes, log: Logger, limit: number = maxOfflineMessages): void {
  // Neither is in aedes' type declarations: the broker's persistence and its connected clients.
  const internals = broker as unknown as {
    persistence: { outgoingEnqueueCombi: Enqueue };
    clients: Record<string, unknown>;
  };
  const persistence = internals.persistence;
  const enqueue = persistence.outgoingEnqueueCombi.bind(persistence);
  /** Gateways offline now, and how much was queued for them since they left. */
  const queued = new Map<string, number>();
  broker.on('client', (client: Client) => queued.delete(client.id));
  const keep = (sub: Subscription) => {
    const id = sub.clientId;
    // Online: aedes queues to track the PUBACK; the connection's write bound limits that.
    if (!id.startsWith(nodeClientPrefix) || internals.clients[id]) return true;
    const count = (queued.get(id) ?? 0) + 1;
    queued.set(id, count);
    if (count === limit + 1)
      log.warn(
        `${id} is offline with ${limit} messages queued; later ones are not kept (its resync on reconnect brings it up to date)`,
      );
    return count <= limit;
  };
  persistence.outgoingEnqueueCombi = (subs, packet) => enqueue(subs.filter(keep), packet);
}
