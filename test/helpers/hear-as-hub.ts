// Feeds a hub component the way the hub's MQTT side does (hub/hub-mqtt.ts): the raw topic and
// payload are read into one checked agent → hub message, and topics outside the route table's
// agent → hub routes never reach it.
import { type AgentMessage, readAgentMessage } from '../../hub/broker/agent-message.js';

export function hearAsHub(component: {
  receive(message: AgentMessage): void;
}): (topic: string, payload: Buffer) => void {
  return (topic, payload) => {
    const message = readAgentMessage(topic, payload);
    if (message) component.receive(message);
  };
}
