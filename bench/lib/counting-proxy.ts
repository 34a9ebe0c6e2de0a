// A TCP proxy that counts the bytes each way, put between the agent and the hub's MQTT broker:
// what it counts is what the gateway's uplink carries (TCP/IP headers excluded).
import { connect, createServer, type Socket } from 'node:net';

export interface ByteCounts {
  agentToHub: number;
  hubToAgent: number;
}

export interface CountingProxy {
  /** mqtts://127.0.0.1:<port> (TLS passes through; the counts include its overhead), to hand the agent instead of the hub's URL. */
  url: string;
  counts(): ByteCounts;
  /** A link drop: every connection reset, and new ones refused for `ms`. */
  cut(ms: number): void;
  close(): Promise<void>;
}

export async function startCountingProxy(target: URL): Promise<CountingProxy> {
  const totals: ByteCounts = { agentToHub: 0, hubToAgent: 0 };
  const sockets = new Set<Socket>();
  let refusedUntil = 0;
  const server = createServer((client) => {
    if (Date.now() < refusedUntil) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      totals.agentToHub += chunk.length;
    });
    upstream.on('data', (chunk: Buffer) => {
      totals.hubToAgent += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  return {
    url: `${target.protocol}//127.0.0.1:${address.port}`,
    counts: () => ({ ...totals }),
    cut: (ms) => {
      refusedUntil = Date.now() + ms;
      for (const socket of sockets) socket.resetAndDestroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
