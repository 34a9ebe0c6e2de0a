// A TCP relay between one gateway and the hub's broker that a test can cut and restore: the
// way a gateway loses its uplink while the hub (and every other gateway) keeps running. Cutting
// destroys the relayed connections (both ends see the link drop at once, as after a reset) and
// refuses new ones until restored.
import { connect, createServer, type Server, type Socket } from 'node:net';

export class LinkCutter {
  private readonly sockets = new Set<Socket>();
  private isCut = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Relays 127.0.0.1:<port> to the broker on `targetPort`. */
  static async start(targetPort: number): Promise<LinkCutter> {
    let cutter: LinkCutter | undefined;
    const server = createServer((client) => cutter?.relay(client, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cutter = new LinkCutter(server, (server.address() as { port: number }).port);
    return cutter;
  }

  /** TLS passes through the relay untouched: the agent verifies the hub as on a direct link. */
  get url(): string {
    return `mqtts://127.0.0.1:${this.port}`;
  }

  get cut(): boolean {
    return this.isCut;
  }

  /** The uplink is gone: open connections drop, new ones are refused. */
  sever(): void {
    this.isCut = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.isCut = false;
  }

  async close(): Promise<void> {
    this.sever();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, targetPort: number): void {
    if (this.isCut) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        this.sockets.delete(a);
        b.destroy();
      });
    }
  }
}
