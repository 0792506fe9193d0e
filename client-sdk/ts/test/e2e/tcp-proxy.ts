import { createServer, type Server, type Socket, connect } from "node:net";

/**
 * A loopback TCP proxy a test can cut: {@link cut} drops every connection and refuses new ones
 * until {@link open}, so a client sees its socket die without the daemon closing it. The target
 * port may change (a restarted daemon).
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private accepting = true;

  private constructor(
    private readonly server: Server,
    public target: number,
  ) {}

  static async start(target: number): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    server.on("connection", (client) => proxy.accept(client));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    return proxy;
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === "object" && a ? a.port : 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Drops every open connection and refuses new ones. */
  cut(): void {
    this.accepting = false;
    for (const s of this.sockets) {
      s.destroy();
    }
    this.sockets.clear();
  }

  /** Forwards new connections again. */
  open(): void {
    this.accepting = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((r) => this.server.close(r));
  }

  private accept(client: Socket): void {
    if (!this.accepting) {
      client.destroy();
      return;
    }
    const upstream = connect(this.target, "127.0.0.1");
    this.sockets.add(client);
    this.sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on("error", drop);
    upstream.on("error", drop);
    client.on("close", drop);
    upstream.on("close", drop);
  }
}
