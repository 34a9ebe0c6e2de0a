import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { publisherFor } from '../../../hub/edge-sync/publish.js';
import { eventually } from '../../helpers/eventually.js';

describe('publisherFor: the hub publishing into a congested socket', () => {
  let server: Server;
  let client: MqttClient | undefined;
  const peers: Socket[] = [];
  before(async () => {
    // A broker that accepts the CONNECT and then reads nothing more: the socket congests.
    server = createServer((socket) => {
      peers.push(socket);
      socket.once('data', () => {
        socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00]));
        socket.pause();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    client?.end(true);
    for (const peer of peers) peer.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('does not park a drain listener per QoS 0 message', async () => {
    const { port } = server.address() as AddressInfo;
    client = await connectAsync(`mqtt://127.0.0.1:${port}`, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      keepalive: 0,
    });
    const publish = publisherFor(client, () => {});
    const payload = Buffer.alloc(4096, 'x');
    for (let i = 0; i < 3000; i++)
      publish(`flotilla/v1/summary/nodes/gw-${i}`, payload, { qos: 0, retain: true });
    await eventually(() => client!.stream.writableLength > 0);
    assert.ok(
      client.stream.listenerCount('drain') < 10,
      `${client.stream.listenerCount('drain')} drain listeners on the socket`,
    );
  });
});
