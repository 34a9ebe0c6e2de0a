// The one thing edge sync needs from an MQTT client: publish. Kept as a function so the
// publishers do not depend on mqtt.js and tests can record what would go on the wire.
import type { MqttClient } from 'mqtt';

export interface PublishOptions {
  qos: 0 | 1;
  retain: boolean;
}

export type PublishFn = (topic: string, payload: Buffer, options: PublishOptions) => void;

/**
 * QoS 0 goes without a callback: mqtt.js parks the callback of each packet written while the
 * socket is congested on a 'drain' listener, and a flush of a thousand dashboard summaries put
 * over a thousand on the hub's one socket (Node's MaxListenersExceededWarning). A QoS 0 publish
 * has no acknowledgement to wait for; a failed write ends the connection, which the client's
 * 'error' and reconnect handle.
 */
export function publisherFor(client: MqttClient, log: (line: string) => void): PublishFn {
  return (topic, payload, options) => {
    if (options.qos === 0) {
      client.publish(topic, payload, options);
      return;
    }
    client.publish(topic, payload, options, (err) => {
      if (err) log(`edge-sync: publish to ${topic} failed: ${err.message}`);
    });
  };
}
