import { create, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { WebSocketServer, type WebSocket } from "ws";
import { type ClientMessage, ClientMessageSchema, EnvelopeSchema } from "../../src/index.js";
import { fromBinary } from "@bufbuild/protobuf";

/** A WebSocket server on port 0 that plays a scripted daemon: the test sends what it likes. */
export class FakeDaemon {
  readonly received: ClientMessage[] = [];
  readonly urls: string[] = [];
  /** Answers each Ping with a Pong at once, as the daemon does. */
  answerPings = true;
  private readonly sockets: WebSocket[] = [];
  private waiters: ((ws: WebSocket) => void)[] = [];

  private constructor(private readonly server: WebSocketServer) {
    server.on("connection", (ws, req) => {
      this.urls.push(req.url ?? "");
      this.sockets.push(ws);
      ws.on("message", (data: Buffer) => {
        let m: ClientMessage;
        try {
          m = fromBinary(ClientMessageSchema, new Uint8Array(data));
        } catch {
          return; // the test looks at what parsed
        }
        this.received.push(m);
        if (this.answerPings && m.body.case === "ping") {
          FakeDaemon.send(ws, { body: { case: "pong", value: { clientTimeUs: m.body.value.clientTimeUs } } });
        }
      });
      for (const w of this.waiters.splice(0)) {
        w(ws);
      }
    });
  }

  static async start(): Promise<FakeDaemon> {
    const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise<void>((r) => server.on("listening", () => r()));
    return new FakeDaemon(server);
  }

  get url(): string {
    const a = this.server.address();
    return `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
  }

  /** The next connection (or the latest, if one came already and none was taken). */
  connection(): Promise<WebSocket> {
    return new Promise((r) => this.waiters.push(r));
  }

  static send(ws: WebSocket, e: MessageInitShape<typeof EnvelopeSchema>): void {
    ws.send(toBinary(EnvelopeSchema, create(EnvelopeSchema, e)));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) {
      s.terminate();
    }
    await new Promise((r) => this.server.close(r));
  }
}
