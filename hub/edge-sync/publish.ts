// The one thing edge sync needs from an MQTT client: publish. Kept as a function so the
// publishers do not depend on mqtt.js and tests can record what would go on the wire.
import type { MqttClient } from 'mqtt';

export interface PublishOptions {
  qos: 0 | 1;
  retain: boolean;
}

export type PublishFn = (topic: string, payload: Buffer, options: PublishOptions) => void;

export function publisherFor(client: MqttClient, log: (line: string) => void): PublishFn {
  return (topic, payload, options) => {
    client.publish(topic, payload, options, (err) => {
      if (err) log(`edge-sync: publish to ${topic} failed: ${err.message}`);
    });
  };
}
