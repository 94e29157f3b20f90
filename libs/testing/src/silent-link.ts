import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between a client and a server that can go silent, as a network partition does:
 * nothing is closed, no reset is sent, bytes just stop arriving, in both directions. Only
 * heartbeats (or a timeout) tell either end. Connections opened while it is silent hang, as a
 * handshake does across a partition, and go through once it heals. Unlike TCP across a real
 * partition, bytes sent while silent are lost, not resent: heal once both ends have given up
 * on the connections they had (a connection still open would read a stream with a hole).
 */
export class SilentLink {
  private silent = false;
  private readonly sockets = new Set<Socket>();
  private readonly waiting = new Set<Socket>();
  /** Sockets whose other end closed while silent: they learn of it when the link heals. */
  private readonly orphans = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {}

  /** Listens on a free local port; `url` rewrites a URL of the target to go through it. */
  static async open(target: { host: string; port: number }): Promise<SilentLink> {
    const server = createServer();
    const link = new SilentLink(server, target);
    server.on('connection', (client) => link.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return link;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** `url` with its host and port replaced by this link's. */
  url(url: string): string {
    const through = new URL(url);
    through.hostname = '127.0.0.1';
    through.port = String(this.port);
    return through.toString();
  }

  /** From now on, every byte either way is lost; the sockets stay open. */
  silence(): void {
    this.silent = true;
  }

  /** Bytes flow again, and the connections opened meanwhile reach the target. */
  heal(): void {
    this.silent = false;
    for (const socket of this.orphans) socket.destroy();
    this.orphans.clear();
    for (const client of this.waiting) this.relay(client);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    for (const socket of [...this.sockets, ...this.waiting]) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.track(client);
    if (!this.silent) return this.relay(client);
    this.waiting.add(client);
    client.once('close', () => this.waiting.delete(client));
  }

  private relay(client: Socket): void {
    const server = this.track(connect(this.target.port, this.target.host));
    this.forward(client, server);
    this.forward(server, client);
  }

  /** What `from` sends, a close included, reaches `to` unless the link is silent. */
  private forward(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (!this.silent) to.write(chunk);
    });
    from.once('close', (hadError: boolean) => {
      if (this.silent) this.orphans.add(to);
      // A clean close ends the other side after what it still has to write (a Close-Ok).
      else if (hadError) to.destroy();
      else to.end();
    });
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }
}
