// The socket under the agent's MQTT client. mqtt.js's connect() loads the stream builders of
// every transport it knows at its first connection, whatever the URL: WebSocket (ws) and SOCKS
// proxying (socks, ip-address, smart-buffer), 0.8 MiB of heap that an agent on mqtts:// never
// uses. An mqtt:// or mqtts:// hub gets its TCP or TLS socket from node:net and node:tls here;
// ws:// and wss://, and a SOCKS proxy (mqtt.js reads it from MQTTJS_SOCKS_PROXY), still go
// through mqtt.js's connect() and load those modules when they are used.
import { isIP, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { connect, type IClientOptions, MqttClient } from 'mqtt';

const tlsSchemes = ['mqtts:', 'ssl:'];
const tcpSchemes = ['mqtt:', 'tcp:'];

export function createMqttClient(url: string, options: IClientOptions): MqttClient {
  const { protocol, hostname, port } = new URL(url);
  const secure = tlsSchemes.includes(protocol);
  if ((!secure && !tcpSchemes.includes(protocol)) || process.env.MQTTJS_SOCKS_PROXY) {
    return connect(url, options);
  }
  const host = hostname.replace(/^\[(.*)\]$/, '$1'); // an IPv6 literal, without its brackets
  const at = { host, port: Number(port) || (secure ? 8883 : 1883) };
  const openSocket = secure
    ? () =>
        tlsConnect({
          ...at,
          ca: options.ca,
          rejectUnauthorized: options.rejectUnauthorized !== false,
          // SNI and the certificate's name check use the host name; an address is checked as one.
          ...(isIP(host) === 0 ? { servername: host } : {}),
        })
    : () => tcpConnect(at);
  return new MqttClient(openSocket, { ...options, ...at, protocol: secure ? 'mqtts' : 'mqtt' });
}
