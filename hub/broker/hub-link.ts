// The hub's own end of the embedded broker: edge sync hears every agent → hub message and sends
// every hub → agent message by calling the broker, not through an MQTT client of its own. Such a
// client (over an in-memory pipe) had every gateway message encoded again by the broker, parsed
// by mqtt.js, and every desired state encoded by mqtt.js and parsed by the broker: a tenth of the
// hub's time while 10,000 gateways reconnected. The broker's checks still run on the gateways'
// side (authentication, topic rules, payload validation); the hub's messages are its own.
import type { Aedes, AedesPublishPacket } from 'aedes';
import type { Logger } from '../../api/logger.js';
import { routeList, wildcardFilter } from '../../api/mqtt/route-table.js';

export interface HubLink {
  /** Publish as the hub: QoS 1 messages are queued for a gateway that is away, as before. */
  publish(topic: string, payload: Buffer, options: { qos: 0 | 1; retain: boolean }): void;
  /** The topics of the retained messages matching an MQTT filter. */
  retainedTopics(filter: string): Promise<string[]>;
  /** Stop hearing gateways (the broker keeps running). */
  detach(): Promise<void>;
}

/** aedes' retained store, not in its type declarations. */
interface RetainedSource {
  createRetainedStream(filter: string): AsyncIterable<{ topic: string }>;
}

/** Every agent → hub topic filter the hub listens to. */
const hubFilters = routeList.filter((r) => r.direction === 'agent-to-hub').map(wildcardFilter);

/**
 * Attaches `onMessage` to every agent → hub route. It runs while the broker routes the message,
 * before the gateway's PUBACK: it must not throw (a throw is logged) and should only queue work.
 */
export async function attachHub(
  aedes: Aedes,
  onMessage: (topic: string, payload: Buffer) => void,
  log: Logger,
): Promise<HubLink> {
  const deliver = (packet: AedesPublishPacket, done: () => void) => {
    try {
      onMessage(packet.topic, packet.payload as Buffer);
    } catch (err) {
      log.warn(`message on ${packet.topic} not handled by the hub: ${(err as Error).message}`);
    }
    done();
  };
  const each = (call: (filter: string, done: () => void) => void) =>
    Promise.all(hubFilters.map((filter) => new Promise<void>((resolve) => call(filter, resolve)))).then(
      () => {},
    );
  await each((filter, done) => aedes.subscribe(filter, deliver, done));
  return {
    publish(topic, payload, options) {
      if (aedes.closed) return;
      publishAsHub(aedes, topic, payload, options, (err) =>
        log.warn(`publish to ${topic} failed: ${err.message}`),
      );
    },
    async retainedTopics(filter) {
      const persistence = (aedes as unknown as { persistence: RetainedSource }).persistence;
      const topics: string[] = [];
      for await (const packet of persistence.createRetainedStream(filter)) topics.push(packet.topic);
      return topics;
    },
    detach: () => each((filter, done) => aedes.unsubscribe(filter, deliver, done)),
  };
}

/**
 * One message from the hub itself, sent by no client (authorizePublish does not run): edge sync's,
 * and the broker's own presence and refusals. `failed` hears a failed publish (a persistence error).
 */
export function publishAsHub(
  aedes: Aedes,
  topic: string,
  payload: Buffer,
  options: { qos: 0 | 1; retain: boolean },
  failed: (err: Error) => void,
): void {
  aedes.publish(
    { cmd: 'publish', topic, payload, qos: options.qos, retain: options.retain, dup: false },
    (err) => {
      if (err) failed(err);
    },
  );
}
