// aedes 1.2 drops every live message whose broker counter is not above the last one it
// delivered to that client ("dedupe", meant for brokers clustered over one emitter). In one
// broker, publishes finish their asynchronous steps out of order (a retained store, an offline
// enqueue), so a message numbered earlier but ready later was lost without a trace: a gateway's
// refusal, a desired state (aedes issues #955 and #994; the MQTT fuzz suite lost 0.1-0.5% of its
// refusals). Here the counter check is switched off per client, and only what it was also good
// for is kept: one message matching two of a client's subscriptions is delivered once. Its
// deliveries run back to back (the emitter calls every matching subscription in one loop), so
// comparing with the last message forwarded to that client is enough.
import type { Aedes, AedesPublishPacket, Client } from 'aedes';

/** Switches aedes' per-client counter check off for this broker's own messages. */
export function deliverOutOfOrder(client: Client, broker: Aedes): void {
  const duplicates = (client as unknown as { duplicates: Record<string, number> }).duplicates;
  Object.defineProperty(duplicates, broker.id, {
    get: () => 0,
    set: () => {},
    enumerable: false,
    configurable: true,
  });
}

type Counted = AedesPublishPacket & { brokerId?: string | null; brokerCounter?: number };

/** The broker's authorizeForward hook: a message is forwarded to a client at most once in a row. */
export function forwardOnce(): (client: Client, packet: AedesPublishPacket) => AedesPublishPacket | null {
  const lastForwarded = new WeakMap<Client, number>();
  return (client, packet) => {
    const { brokerId, brokerCounter } = packet as Counted;
    if (!brokerId || brokerCounter === undefined) return packet;
    if (lastForwarded.get(client) === brokerCounter) return null;
    lastForwarded.set(client, brokerCounter);
    return packet;
  };
}
