import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { anyPack, anyUnpack, EmptySchema } from "@bufbuild/protobuf/wkt";
import { Backoff } from "./backoff.js";
import { ClockEstimate } from "./clock.js";
import {
  COMMANDS,
  type CommandName,
  type CommandReply,
  type CommandRequest,
  type CommandResult,
} from "./commands.js";
import { ConnectionError, TonearmError } from "./errors.js";
import { FrameSubscription, type FrameListener } from "./frame-subscription.js";
import { CommandSource } from "./gen/tonearm/v1/common_pb.js";
import type { Error as ErrorMessage } from "./gen/tonearm/v1/common_pb.js";
import {
  type Ack,
  type ClientMessage,
  ClientMessageSchema,
  type Envelope,
  EnvelopeSchema,
  type Hello,
} from "./gen/tonearm/v1/events_pb.js";
import { ResumeCursor, type StreamPosition } from "./resume-cursor.js";
import { checkView, type FrameViewInit } from "./views.js";
import {
  OPEN,
  resolveWebSocket,
  socketUrl,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./websocket.js";

/** Where warnings go (malformed frames, a listener that threw); `console` by default. */
export interface Logger {
  warn(message: string, ...rest: unknown[]): void;
}

/** How an {@link EventStream} connects and what it subscribes to. */
export interface EventStreamOptions {
  /**
   * The daemon's base URL: `http://127.0.0.1:7700`, `location.origin` in a page it serves,
   * `https://host/prefix/` behind a proxy, or the same with `ws:`/`wss:`. `/ws` is appended.
   */
  readonly url: string;
  /** State topics (`player`, `queue`, `outputs`, `jobs`, `library`, `playlists`, `settings`, `commands`, `zones`). */
  readonly topics?: readonly string[];
  /** Frame views subscribed on every connection (more with {@link EventStream.subscribeFrames}). */
  readonly views?: readonly FrameViewInit[];
  /** A saved position to resume from on the first connection. */
  readonly resumeFrom?: StreamPosition;
  /** The WebSocket to use: the global one by default; in Node 20 pass the `ws` package's. */
  readonly WebSocket?: WebSocketConstructor;
  /** This client's name, in every event its commands cause (`Origin.client_name`); at most 64 of `[A-Za-z0-9._- ]`. */
  readonly clientName?: string;
  /**
   * An access token (`tnrm_...`), or a function giving the current one: offered on every
   * connection as the subprotocol `tonearm.bearer.<token>` beside `tonearm.v1` (docs/PROTOCOL.md
   * "Presenting a token"; the daemon never echoes it). Not needed from a trusted loopback address.
   */
  readonly token?: string | (() => string | undefined);
  /**
   * The zone to follow (`/ws?zone=`; docs/PROTOCOL.md "Zones"): its events, snapshots and frames,
   * and the zone its commands act on. Absent: the daemon's choice (`default`, or the token's one
   * zone; `Hello.zone` says which). A zone removed while connected ends the stream (close 4004).
   */
  readonly zone?: string;
  /** On whose behalf its commands are sent, unless a command says otherwise. */
  readonly source?: CommandSource;
  /** Reconnect delays: full jitter between 0 and min(maxMs, minMs * 2^attempt). Default 250 ms to 10 s. */
  readonly backoff?: { readonly minMs?: number; readonly maxMs?: number };
  /** How long a connection may take until its Hello before it is abandoned and retried. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** How long a command waits for the connection and then for its answer. Default 10 s. */
  readonly commandTimeoutMs?: number;
  /** Ping period for the clock estimate and liveness; 0 turns periodic pings off. Default 5 s. */
  readonly pingIntervalMs?: number;
  /** Where warnings go; `console` by default. */
  readonly logger?: Logger;
}

/** Connection states, for a connection indicator. */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

/** Why a connection ended. */
export interface Disconnect {
  /** The WebSocket close code (1006 when the connection broke without one). */
  readonly code: number;
  /** The close reason, or what failed. */
  readonly reason: string;
  /** Milliseconds until the next attempt; -1 when the stream has ended for good. */
  readonly reconnectInMs: number;
}

/**
 * What a stream tells its listeners. State events (`event`) arrive exactly once each, in seq
 * order, across reconnects; after a connection that could not resume (a new daemon run, or the
 * history moved past the last seq), `connected` says `recovered: false` and one `snapshot` per
 * subscribed state topic replaces what the application held.
 */
export interface EventStreamEvents {
  /** A connection is open: its Hello. */
  connected: (hello: Hello) => void;
  /** A snapshot of one state topic, after a `connected` with `recovered: false`. */
  snapshot: (e: Envelope) => void;
  /** A state event: each once, in seq order. */
  event: (e: Envelope) => void;
  /** A frame of a subscribed stream (also given to its {@link FrameSubscription}). */
  frame: (e: Envelope) => void;
  /** An Error not tied to a command or subscription of this client (e.g. a view in the URL refused). */
  error: (error: TonearmError) => void;
  /** A connection ended. */
  disconnected: (d: Disconnect) => void;
  /** The connection state changed. */
  state: (state: ConnectionState) => void;
  /**
   * Every state event of this stream's topics up to `seq` has been delivered: after each event,
   * and after each command's Ack (whose seq may be of another topic, the newest event of the
   * reply's topic for a no-op, or the current seq for a query).
   */
  synced: (seq: bigint) => void;
}

type Listeners = { [K in keyof EventStreamEvents]: Set<EventStreamEvents[K]> };

interface PendingCommand {
  readonly name: CommandName;
  readonly resolve: (r: CommandResult<CommandName>) => void;
  readonly reject: (e: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

interface PendingPing {
  readonly sentUs: number;
  readonly resolve: (rttMs: number) => void;
  readonly reject: (e: Error) => void;
}

/** Abnormal closure: the connection ended without a close frame (RFC 6455 section 7.4.1). */
const ABNORMAL = 1006;
/** Policy violation: the daemon refused the request for good (a view in the URL); retrying cannot help. */
const POLICY = 1008;
/** The socket's token was revoked or has expired: reconnecting with it cannot help. */
const TOKEN_ENDED = 4003;
/** The zone the stream follows was removed: reconnecting cannot help. */
const ZONE_REMOVED = 4004;

/**
 * One resumable event stream on the daemon's `/ws`: binary protobuf `Envelope`s in, binary
 * `ClientMessage`s out. It reconnects by itself with exponential backoff and full jitter, resumes
 * with `resume=<epoch>:<seq>` so that every state event reaches the listeners exactly once and in
 * order (or a snapshot when resuming is impossible), re-subscribes its frame views on every
 * connection, runs commands of the daemon's command table ({@link EventStream.command}), and keeps
 * a clock estimate from its pings ({@link EventStream.clock}).
 *
 * Single-threaded like everything in JavaScript: listeners run on the socket's message task and
 * should return quickly; one that throws is reported to the logger and the others still run.
 * Malformed or unknown messages are ignored with a warning.
 */
export class EventStream {
  /** The clock estimate from this stream's pings. */
  readonly clock = new ClockEstimate();

  private readonly options: EventStreamOptions;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly logger: Logger;
  private readonly topics: readonly string[];
  private readonly cursor: ResumeCursor;
  private readonly backoff: Backoff;
  private readonly listeners: Listeners = {
    connected: new Set(),
    snapshot: new Set(),
    event: new Set(),
    frame: new Set(),
    error: new Set(),
    disconnected: new Set(),
    state: new Set(),
    synced: new Set(),
  };
  private readonly subscriptions = new Set<FrameSubscription>();
  private readonly pendingCommands = new Map<string, PendingCommand>();
  private readonly pendingSubscribes = new Map<string, { sub: FrameSubscription; before: ReadonlySet<string> }>();
  /** The frame streams of the current connection, as its last Ack listed them. */
  private streams: string[] = [];
  private readonly pendingPings = new Map<bigint, PendingPing>();
  private readonly waitingForOpen = new Set<() => void>();
  private socket: WebSocketLike | undefined;
  private hello: Hello | undefined;
  private attempt = 0;
  private lastRequest = 0;
  private lastPingUs = 0n;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private currentState: ConnectionState = "connecting";
  private closed = false;

  /** Opens the stream: the first connection starts once the current task ends. */
  constructor(options: EventStreamOptions) {
    this.options = options;
    this.WebSocketImpl = resolveWebSocket(options.WebSocket);
    this.logger = options.logger ?? console;
    this.topics = [...new Set(options.topics ?? [])];
    for (const t of this.topics) {
      if (t === "" || t.includes(",")) {
        throw new RangeError(`bad topic name: '${t}'`);
      }
    }
    socketUrl(options.url, new URLSearchParams()); // fails now on a bad URL
    this.cursor = new ResumeCursor(options.resumeFrom);
    this.backoff = new Backoff(options.backoff?.minMs ?? 250, options.backoff?.maxMs ?? 10_000);
    for (const v of options.views ?? []) {
      this.subscriptions.add(new FrameSubscription(this, checkView(v), () => {}));
    }
    queueMicrotask(() => this.connect());
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof EventStreamEvents>(type: K, listener: EventStreamEvents[K]): () => void {
    this.listeners[type].add(listener);
    return () => this.listeners[type].delete(listener);
  }

  /** The state topics this stream subscribes to. */
  get stateTopics(): readonly string[] {
    return this.topics;
  }

  /** The last state event delivered (the resume point); undefined before the first Hello. */
  get position(): StreamPosition | undefined {
    return this.cursor.position();
  }

  /** The current connection's Hello; undefined while not connected. */
  get currentHello(): Hello | undefined {
    return this.hello;
  }

  /** The connection state. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /**
   * Subscribes to a frame view (see `spectrumView`, `metersView`...) on this and every later
   * connection; `listener` gets each of its frames. The subscription's `ready` settles with the
   * daemon's answer (rejected with a {@link TonearmError} `bad_view`, `render_budget` or
   * `too_many_views`, after which it is closed).
   */
  subscribeFrames(view: FrameViewInit, listener: FrameListener): FrameSubscription {
    const sub = new FrameSubscription(this, checkView(view), listener);
    this.subscriptions.add(sub);
    if (this.hello && this.socket) {
      this.sendSubscribe(sub);
    }
    return sub;
  }

  /**
   * Runs a command of the daemon's command table on the socket. Resolves with the reply and the
   * seq of the event it caused, once this stream has delivered every event up to that seq; rejects
   * with a {@link TonearmError} carrying the daemon's code and message, or a
   * {@link ConnectionError} when no answer came.
   */
  command<N extends CommandName>(
    name: N,
    request?: CommandRequest<N>,
    params?: Readonly<Record<string, string>>,
    options?: { readonly source?: CommandSource; readonly timeoutMs?: number },
  ): Promise<CommandResult<N>> {
    const spec = COMMANDS[name];
    if (spec === undefined) {
      return Promise.reject(new TonearmError("unknown_command", `no command named '${name}'`));
    }
    const timeoutMs = options?.timeoutMs ?? this.options.commandTimeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    return this.whenOpen(timeoutMs, name).then(
      () =>
        new Promise<CommandResult<N>>((resolve, reject) => {
          const id = `c${++this.lastRequest}`;
          const timer = setTimeout(
            () => {
              this.pendingCommands.delete(id);
              reject(new ConnectionError("timeout", `no answer to ${name} within ${timeoutMs} ms`));
            },
            Math.max(0, deadline - Date.now()),
          );
          this.pendingCommands.set(id, {
            name,
            resolve: resolve as (r: CommandResult<CommandName>) => void,
            reject,
            timer,
          });
          const body =
            request === undefined || spec.request === EmptySchema
              ? undefined
              : anyPack(spec.request, create(spec.request, request as never));
          this.send(
            create(ClientMessageSchema, {
              requestId: id,
              body: {
                case: "command",
                value: {
                  name,
                  request: body,
                  params: { ...params },
                  source: options?.source ?? CommandSource.UNSPECIFIED,
                },
              },
            }),
          );
        }),
    );
  }

  /**
   * Resolves with the daemon's current seq once every state event of this stream's topics up to it
   * has been delivered: a query (`player.state`) whose Ack the daemon writes after them. A pong is
   * no such barrier (it is answered at once).
   */
  async sync(): Promise<bigint> {
    return (await this.command("player.state")).seq;
  }

  /**
   * Sends a Ping; resolves with the round trip in milliseconds when its Pong arrives (and adds a
   * clock sample), rejects with a {@link ConnectionError} when not connected or the connection ends.
   */
  ping(): Promise<number> {
    if (!this.hello || !this.socket) {
      return Promise.reject(new ConnectionError("unreachable", "event stream not connected"));
    }
    return new Promise((resolve, reject) => {
      const sentUs = ClockEstimate.localNowUs();
      // The id of the ping is the client time it carries: unique and growing.
      let t = BigInt(Math.round(sentUs));
      if (t <= this.lastPingUs) {
        t = this.lastPingUs + 1n;
      }
      this.lastPingUs = t;
      this.pendingPings.set(t, { sentUs, resolve, reject });
      this.send(create(ClientMessageSchema, { requestId: "ping", body: { case: "ping", value: { clientTimeUs: t } } }));
    });
  }

  /** Stops reconnecting and closes the socket with 1000. Idempotent. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const ws = this.socket;
    if (ws) {
      try {
        ws.close(1000, "closed by the application");
      } catch {
        // already closing
      }
      this.ended(1000, "closed by the application");
    } else {
      this.ended(1000, "closed by the application");
    }
  }

  /** @internal Unsubscribes a frame subscription's stream unless another subscription shares it. */
  release(sub: FrameSubscription): void {
    this.subscriptions.delete(sub);
    for (const [id, p] of this.pendingSubscribes) {
      if (p.sub === sub) {
        this.pendingSubscribes.delete(id);
      }
    }
    const stream = sub.streamId;
    if (stream === undefined || !this.hello || !this.socket) {
      return;
    }
    for (const other of this.subscriptions) {
      if (other.streamId === stream) {
        return;
      }
    }
    this.send(
      create(ClientMessageSchema, {
        requestId: `u${++this.lastRequest}`,
        body: { case: "unsubscribe", value: { streams: [stream] } },
      }),
    );
  }

  private connect(): void {
    this.reconnectTimer = undefined;
    if (this.closed) {
      return;
    }
    const query = new URLSearchParams({ format: "binary" });
    if (this.topics.length > 0) {
      query.set("topics", this.topics.join(","));
    }
    const resume = this.cursor.resumeParam();
    if (resume !== undefined) {
      query.set("resume", resume);
    }
    if (this.options.clientName) {
      query.set("client", this.options.clientName);
    }
    if (this.options.zone) {
      query.set("zone", this.options.zone);
    }
    const source = sourceParam(this.options.source);
    if (source) {
      query.set("source", source);
    }
    let ws: WebSocketLike;
    try {
      const t = this.options.token;
      const token = typeof t === "function" ? t() : t;
      const url = socketUrl(this.options.url, query);
      ws = token
        ? new this.WebSocketImpl(url, ["tonearm.v1", `tonearm.bearer.${token}`])
        : new this.WebSocketImpl(url);
    } catch (e) {
      this.ended(ABNORMAL, `cannot open the socket: ${String(e)}`);
      return;
    }
    this.socket = ws;
    ws.binaryType = "arraybuffer";
    ws.onmessage = (ev: { data: unknown }) => {
      if (this.socket === ws) {
        this.onMessage(ev.data);
      }
    };
    ws.onclose = (ev: { code: number; reason: string }) => {
      if (this.socket === ws) {
        const fatal = ev.code === POLICY || ev.code === TOKEN_ENDED || ev.code === ZONE_REMOVED;
        this.ended(ev.code, ev.reason || "connection closed", fatal);
      }
    };
    ws.onerror = () => {
      // A close event follows with the code; nothing to do here.
    };
    const timeout = this.options.connectTimeoutMs ?? 10_000;
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (this.socket === ws && !this.hello) {
        try {
          ws.close();
        } catch {
          // not open yet
        }
        this.ended(ABNORMAL, `no hello within ${timeout} ms`);
      }
    }, timeout);
  }

  private onMessage(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) {
      this.logger.warn(
        `tonearm: ignored a ${typeof data === "string" ? "text" : typeof data} message; this stream speaks binary protobuf`,
      );
      return;
    }
    let e: Envelope;
    try {
      e = fromBinary(EnvelopeSchema, new Uint8Array(data));
    } catch (err) {
      this.logger.warn(`tonearm: ignored a malformed message of ${data.byteLength} bytes: ${String(err)}`);
      return;
    }
    try {
      this.received(e);
    } catch (err) {
      this.logger.warn("tonearm: a message could not be handled; the stream goes on", err);
    }
  }

  private received(e: Envelope): void {
    switch (e.body.case) {
      case "hello":
        this.onHello(e.body.value);
        return;
      case "ack":
        this.onAck(e.body.value);
        return;
      case "error":
        this.onError(e.body.value);
        return;
      case "pong": {
        const p = this.pendingPings.get(e.body.value.clientTimeUs);
        if (p) {
          this.pendingPings.delete(e.body.value.clientTimeUs);
          const now = ClockEstimate.localNowUs();
          this.clock.addSample(p.sentUs, now, e.serverTimeUs);
          p.resolve((now - p.sentUs) / 1000);
        }
        return;
      }
      case undefined: {
        // A body this SDK does not know (a newer daemon's): skip it, but keep the seq order.
        const kind = this.cursor.accept(e);
        this.logger.warn(`tonearm: ignored a message of an unknown kind (${kind}, seq ${e.seq}, stream '${e.stream}')`);
        return;
      }
      default:
    }
    switch (this.cursor.accept(e)) {
      case "snapshot":
        this.emit("snapshot", e);
        return;
      case "event":
        this.emit("event", e);
        this.emit("synced", e.seq);
        return;
      case "frame":
        for (const s of this.subscriptions) {
          if (s.streamId === e.stream) {
            s.deliver(e, this.logger);
          }
        }
        this.emit("frame", e);
        return;
      default:
    }
  }

  private onHello(hello: Hello): void {
    clearTimeout(this.connectTimer);
    this.attempt = 0;
    this.hello = hello;
    this.cursor.hello(hello);
    this.setState("open");
    this.emit("connected", hello);
    for (const sub of this.subscriptions) {
      sub.streamId = undefined;
      this.sendSubscribe(sub);
    }
    for (const wake of [...this.waitingForOpen]) {
      wake();
    }
    const period = this.options.pingIntervalMs ?? 5000;
    // The daemon writes a connection's snapshots before anything it answers: the pong of this
    // first ping says they are all in, and only then may a reconnect resume past them.
    this.ping().then(
      () => this.cursor.snapshotsDone(),
      () => {},
    );
    clearInterval(this.pingTimer);
    if (period > 0) {
      this.pingTimer = setInterval(() => this.keepAlive(period), period);
    }
  }

  /**
   * Pings, and ends a connection whose pings go unanswered for two periods: a dead network (a
   * laptop's sleep, a pulled cable) can leave a socket open for minutes without a close.
   */
  private keepAlive(periodMs: number): void {
    const now = ClockEstimate.localNowUs();
    for (const p of this.pendingPings.values()) {
      if (now - p.sentUs > 2 * periodMs * 1000) {
        try {
          this.socket?.close();
        } catch {
          // closing anyway
        }
        this.ended(ABNORMAL, `no pong within ${2 * periodMs} ms`);
        return;
      }
    }
    this.ping().catch(() => {});
  }

  private sendSubscribe(sub: FrameSubscription): void {
    const id = `v${++this.lastRequest}`;
    this.pendingSubscribes.set(id, { sub, before: new Set(this.streams) });
    this.send(
      create(ClientMessageSchema, {
        requestId: id,
        body: { case: "subscribe", value: { views: [sub.view] } },
      }),
    );
  }

  private onAck(ack: Ack): void {
    const command = this.pendingCommands.get(ack.requestId);
    if (command) {
      this.pendingCommands.delete(ack.requestId);
      clearTimeout(command.timer);
      const replySchema = COMMANDS[command.name].reply;
      const reply =
        ack.reply === undefined ? create(replySchema) : anyUnpack(ack.reply, replySchema);
      if (reply === undefined) {
        command.reject(
          new TonearmError(
            "bad_reply",
            `${command.name} answered with ${ack.reply?.typeUrl}, not ${replySchema.typeName}`,
          ),
        );
      } else {
        this.emit("synced", ack.seq);
        command.resolve({ seq: ack.seq, reply: reply as CommandReply<CommandName> });
      }
      return;
    }
    this.streams = ack.streams.map((b) => b.stream);
    const pending = this.pendingSubscribes.get(ack.requestId);
    if (pending) {
      this.pendingSubscribes.delete(ack.requestId);
      pending.sub.bound(ack.streams, pending.before);
    }
  }

  private onError(m: ErrorMessage): void {
    const error = new TonearmError(m.code, m.message, { ...m.details }, m.requestId);
    const command = this.pendingCommands.get(m.requestId);
    if (command) {
      this.pendingCommands.delete(m.requestId);
      clearTimeout(command.timer);
      command.reject(error);
      return;
    }
    const pending = this.pendingSubscribes.get(m.requestId);
    if (pending) {
      this.pendingSubscribes.delete(m.requestId);
      this.subscriptions.delete(pending.sub);
      pending.sub.refused(error);
      return;
    }
    this.emit("error", error);
  }

  /** Resolves once a connection is open (at once when one is), or rejects after `timeoutMs`. */
  private whenOpen(timeoutMs: number, what: string): Promise<void> {
    if (this.hello && this.socket) {
      return Promise.resolve();
    }
    if (this.closed) {
      return Promise.reject(new ConnectionError("unreachable", `${what}: the stream is closed`));
    }
    return new Promise((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        this.waitingForOpen.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waitingForOpen.delete(wake);
        reject(new ConnectionError("unreachable", `${what}: not connected within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waitingForOpen.add(wake);
    });
  }

  private send(m: ClientMessage): void {
    const ws = this.socket;
    if (ws && ws.readyState === OPEN) {
      ws.send(toBinary(ClientMessageSchema, m));
    }
  }

  /** A connection ended (or was never made); reconnects unless closed or refused for good. */
  private ended(code: number, reason: string, fatal = false): void {
    const ws = this.socket;
    this.socket = undefined;
    this.hello = undefined;
    if (ws) {
      // Stay deaf to this socket, but keep an error handler: `ws` in Node throws an error event
      // nobody listens to (closing a socket that is still connecting makes one).
      ws.onmessage = null;
      ws.onclose = null;
      ws.onerror = () => {};
    }
    clearTimeout(this.connectTimer);
    clearInterval(this.pingTimer);
    const lost = new ConnectionError("unreachable", `connection ended before the answer: ${reason}`);
    for (const p of this.pendingPings.values()) {
      p.reject(lost);
    }
    this.pendingPings.clear();
    for (const c of this.pendingCommands.values()) {
      clearTimeout(c.timer);
      c.reject(lost);
    }
    this.pendingCommands.clear();
    this.pendingSubscribes.clear();
    this.streams = [];
    if (this.closed || fatal) {
      if (this.currentState !== "closed") {
        this.closed = true;
        this.setState("closed");
        this.emit("disconnected", { code, reason, reconnectInMs: -1 });
      }
      return;
    }
    const delay = this.backoff.delayMs(this.attempt++);
    this.setState("reconnecting");
    this.emit("disconnected", { code, reason, reconnectInMs: delay });
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private setState(s: ConnectionState): void {
    if (this.currentState !== s) {
      this.currentState = s;
      this.emit("state", s);
    }
  }

  private emit<K extends keyof EventStreamEvents>(
    type: K,
    ...args: Parameters<EventStreamEvents[K]>
  ): void {
    for (const l of this.listeners[type]) {
      try {
        (l as (...a: Parameters<EventStreamEvents[K]>) => void)(...args);
      } catch (err) {
        this.logger.warn(`tonearm: a '${type}' listener threw; the stream goes on`, err);
      }
    }
  }
}

function sourceParam(s: CommandSource | undefined): string | undefined {
  switch (s) {
    case CommandSource.USER:
      return "user";
    case CommandSource.AUTOMATION:
      return "automation";
    case CommandSource.ASSISTANT:
      return "assistant";
    default:
      return undefined;
  }
}
