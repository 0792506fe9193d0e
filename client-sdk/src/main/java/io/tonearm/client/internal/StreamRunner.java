package io.tonearm.client.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.PreferHeapByteBufAllocator;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import io.tonearm.client.EventStreamOptions;
import io.tonearm.client.FrameViewRequest;
import io.tonearm.client.ServerErrorException;
import io.tonearm.client.StreamPosition;
import io.tonearm.client.UnreachableException;
import io.tonearm.proto.v1.Ack;
import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Command;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import io.tonearm.proto.v1.Ping;
import io.tonearm.proto.v1.Subscribe;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The reconnect loop of one event stream. Everything but {@link #close}, {@link #position} and
 * {@link #connected} runs on the stream's one event loop, so the cursor and the channel need no
 * locks.
 */
public final class StreamRunner {

  /** Abnormal closure: the connection ended without a close frame (RFC 6455 section 7.4.1). */
  static final int ABNORMAL = 1006;

  /** Policy violation: the daemon refused the request as malformed; retrying cannot help. */
  static final int POLICY = 1008;

  /**
   * The event socket's allocator on epoll: the shared default one, but its messages' payloads on
   * the heap. Epoll still reads into direct memory (it must, and does whatever the channel's
   * allocator prefers); the WebSocket decoder then copies each frame's payload into a heap buffer
   * instead of another direct one, and {@link StreamHandler#parse} decodes that buffer's array in
   * place instead of copying it to an array first: one copy and one array fewer per event.
   */
  private static final ByteBufAllocator HEAP_PAYLOADS =
      new PreferHeapByteBufAllocator(ByteBufAllocator.DEFAULT);

  /**
   * The payload of the close frame the application's close sends: 1000 and "bye", made once (a
   * frame made from the code and the text encodes them again on every close).
   */
  static final ByteBuf BYE =
      Unpooled.unreleasableBuffer(
          Unpooled.wrappedBuffer(new byte[] {0x03, (byte) 0xe8, 'b', 'y', 'e'}));

  /** Where the runner delivers; implemented over the application's listener. */
  public interface Sink {
    void connected(Hello hello);

    void snapshot(Envelope e);

    void event(Envelope e);

    void frame(Envelope e);

    void control(Envelope e);

    void disconnected(int code, String reason, long reconnectInMillis);
  }

  /** The client's settings a stream needs. */
  public record Settings(
      URI baseUri,
      EventLoop loop,
      boolean epoll,
      long backoffMinMillis,
      long backoffMaxMillis,
      int connectTimeoutMillis,
      long readIdleMillis,
      int maxMessageBytes,
      String token,
      Tls tls,
      String zone) {}

  private final Settings settings;
  private final EventStreamOptions options;
  private final Sink sink;
  private final ResumeCursor cursor;
  private final Backoff backoff;
  private final List<FrameViewRequest> urlViews = new ArrayList<>();
  private final List<FrameViewRequest> extraViews = new ArrayList<>();
  private final int urlFps;

  /** The {@code /ws} URI up to the resume parameter (scheme, address, topics, fps): fixed. */
  private final String uriHead;

  /** The zone parameter, or "": fixed. */
  private final String uriZone;

  /** Made once and reused by every connect: only its handler changes. Event loop only. */
  private final Bootstrap bootstrap;

  private final Map<Long, CompletableFuture<Duration>> pings = new HashMap<>();
  private final Map<String, CompletableFuture<Ack>> commands = new HashMap<>();
  private long lastCommand;
  private long lastPingUs;

  /** The client time of the ping that confirms a snapshot hello's snapshots, or -1. */
  private long snapshotsPingUs = -1;

  private Channel channel;
  private ScheduledFuture<?> pendingReconnect;
  private int attempt;
  private boolean finished;
  private volatile boolean closed;
  private volatile boolean connected;
  private volatile StreamPosition position;

  public StreamRunner(Settings settings, EventStreamOptions options, Sink sink) {
    this.settings = settings;
    this.options = options;
    this.sink = sink;
    this.cursor = new ResumeCursor(options.resumeFrom().orElse(null));
    this.position = cursor.position();
    this.backoff =
        new Backoff(
            settings.backoffMinMillis(),
            settings.backoffMaxMillis(),
            b -> ThreadLocalRandom.current().nextLong(b + 1));
    // The URL carries one fps for its frame topics and no view options; views at other rates or
    // with options go in a Subscribe.
    int fps =
        options.frameViews().stream()
            .filter(v -> v.view() == null)
            .findFirst()
            .map(FrameViewRequest::fps)
            .orElse(0);
    for (FrameViewRequest v : options.frameViews()) {
      (v.view() == null
                  && v.fps() == fps
                  && urlViews.stream().noneMatch(u -> u.topic().equals(v.topic()))
              ? urlViews
              : extraViews)
          .add(v);
    }
    this.urlFps = fps;
    StringBuilder topics = new StringBuilder();
    for (String t : options.stateTopics()) {
      topics.append(topics.length() == 0 ? "" : ",").append(t);
    }
    for (FrameViewRequest v : urlViews) {
      topics.append(topics.length() == 0 ? "" : ",").append(v.topic());
    }
    URI base = settings.baseUri();
    StringBuilder q =
        new StringBuilder(settings.tls() == null ? "ws://" : "wss://")
            .append(base.getHost())
            .append(':')
            .append(base.getPort())
            .append("/ws?format=binary");
    if (topics.length() > 0) {
      q.append("&topics=").append(URLEncoder.encode(topics.toString(), StandardCharsets.UTF_8));
    }
    if (!urlViews.isEmpty() && urlFps > 0) {
      q.append("&fps=").append(urlFps);
    }
    this.uriHead = q.toString();
    this.uriZone =
        settings.zone() == null
            ? ""
            : "&zone=" + URLEncoder.encode(settings.zone(), StandardCharsets.UTF_8);
    this.bootstrap =
        new Bootstrap()
            .group(settings.loop())
            .channel(settings.epoll() ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.ALLOCATOR, allocator(settings.epoll()))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis());
  }

  /** The event socket's allocator: {@link #HEAP_PAYLOADS} on epoll, Netty's default on NIO. */
  static ByteBufAllocator allocator(boolean epoll) {
    return epoll ? HEAP_PAYLOADS : ByteBufAllocator.DEFAULT;
  }

  public void start() {
    settings.loop().execute(this::connect);
  }

  public StreamPosition position() {
    return position;
  }

  public boolean connected() {
    return connected;
  }

  /** Stops reconnecting and closes the socket with 1000. Any thread. */
  public void close() {
    closed = true;
    if (settings.loop().isShuttingDown()) {
      return; // the client's loop is going away and takes the socket with it
    }
    settings
        .loop()
        .execute(
            () -> {
              if (pendingReconnect != null) {
                pendingReconnect.cancel(false);
                pendingReconnect = null;
              }
              Channel ch = channel;
              if (ch == null) {
                finish(1000, "closed by the application"); // between connections
                return;
              }
              if (ch.isActive()) {
                ch.writeAndFlush(new CloseWebSocketFrame(true, 0, BYE.duplicate()))
                    .addListener(f -> ch.close());
                settings.loop().schedule(() -> ch.close(), 1, TimeUnit.SECONDS);
              } else {
                ch.close(); // still connecting: the failed connect reports the end
              }
            });
  }

  /**
   * Sends a {@code Ping} on the open connection; completes with the round-trip time when its {@code
   * Pong} arrives, or fails when the connection is not open or ends first. Any thread.
   */
  public CompletableFuture<Duration> ping() {
    CompletableFuture<Duration> f = new CompletableFuture<>();
    whenConnected(
        f,
        ch -> {
          long t = Math.max(System.nanoTime() / 1000, lastPingUs + 1);
          lastPingUs = t;
          pings.put(t, f);
          write(
              ch,
              ClientMessage.newBuilder()
                  .setRequestId("ping")
                  .setPing(Ping.newBuilder().setClientTimeUs(t))
                  .build());
        });
    return f.orTimeout(settings.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Pings right after a snapshot hello: the daemon writes the hello's snapshots before it reads
   * anything from the connection, so the pong says they are all in, and only then may a reconnect
   * resume (ResumeCursor). A connection that ends first reconnects for new snapshots. Event loop
   * only.
   */
  private void confirmSnapshots(Channel ch) {
    long t = Math.max(System.nanoTime() / 1000, lastPingUs + 1);
    lastPingUs = t;
    snapshotsPingUs = t;
    write(
        ch,
        ClientMessage.newBuilder()
            .setRequestId("snapshots")
            .setPing(Ping.newBuilder().setClientTimeUs(t))
            .build());
  }

  /**
   * Sends a command of the daemon's command table on the open connection; completes with its {@code
   * Ack} (written by the daemon after the events up to the Ack's seq), or fails with {@link
   * ServerErrorException} for its {@code Error}, or {@link UnreachableException} when the
   * connection is not open or ends first. Any thread.
   */
  public CompletableFuture<Ack> command(Command command) {
    CompletableFuture<Ack> f = new CompletableFuture<>();
    whenConnected(
        f,
        ch -> {
          String id = "c" + ++lastCommand;
          commands.put(id, f);
          write(ch, ClientMessage.newBuilder().setRequestId(id).setCommand(command).build());
        });
    return f;
  }

  /**
   * Runs {@code send} on the event loop with the open channel, or fails {@code f} with {@link
   * UnreachableException} when the connection is not open: the preamble of every request the socket
   * carries.
   */
  private void whenConnected(CompletableFuture<?> f, java.util.function.Consumer<Channel> send) {
    settings
        .loop()
        .execute(
            () -> {
              Channel ch = channel;
              if (ch == null || !connected) {
                f.completeExceptionally(
                    new UnreachableException("event stream not connected", null));
                return;
              }
              send.accept(ch);
            });
  }

  private static void write(Channel ch, ClientMessage m) {
    ch.writeAndFlush(
        new BinaryWebSocketFrame(Unpooled.wrappedBuffer(m.toByteArray())), ch.voidPromise());
  }

  /** The {@code /ws} URI for the next attempt, with topics, fps and resume. */
  URI wsUri() {
    String resume = cursor.resumeParam();
    return URI.create(
        resume == null
            ? uriHead + uriZone
            : uriHead + "&resume=" + URLEncoder.encode(resume, StandardCharsets.UTF_8) + uriZone);
  }

  private void connect() {
    pendingReconnect = null;
    if (closed) {
      return;
    }
    URI uri = wsUri();
    StreamHandler handler = new StreamHandler(this);
    ChannelFuture f =
        bootstrap
            .handler(
                new StreamInitializer(
                    uri,
                    settings.connectTimeoutMillis(),
                    settings.readIdleMillis(),
                    settings.maxMessageBytes(),
                    handler,
                    settings.token(),
                    settings.tls() == null ? null : settings.tls().netty()))
            .connect(uri.getHost(), uri.getPort());
    channel = f.channel();
    f.addListener(
        done -> {
          if (!done.isSuccess()) {
            ended(ABNORMAL, String.valueOf(done.cause().getMessage()), false);
          }
        });
  }

  /** A connection ended (or was never made); reconnects unless closed or refused for good. */
  void ended(int code, String reason, boolean fatal) {
    connected = false;
    channel = null;
    snapshotsPingUs = -1;
    for (CompletableFuture<Duration> p : pings.values()) {
      p.completeExceptionally(new UnreachableException("connection ended: " + reason, null));
    }
    pings.clear();
    for (CompletableFuture<Ack> c : commands.values()) {
      c.completeExceptionally(
          new UnreachableException("connection ended before the answer: " + reason, null));
    }
    commands.clear();
    if (closed || fatal || settings.loop().isShuttingDown()) {
      finish(code, reason);
      return;
    }
    long delay = backoff.delayMillis(attempt++);
    sink.disconnected(code, reason, delay);
    pendingReconnect = settings.loop().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  /** Reports the stream's end once. */
  private void finish(int code, String reason) {
    if (!finished) {
      finished = true;
      sink.disconnected(code, reason, -1);
    }
  }

  void received(Channel ch, Envelope e) {
    if (e.hasHello()) {
      attempt = 0;
      connected = true;
      cursor.hello(e.getHello());
      position = cursor.position();
      if (cursor.snapshotsPending()) {
        confirmSnapshots(ch);
      }
      sink.connected(e.getHello());
      subscribeExtraViews(ch);
      return;
    }
    if (e.hasAck() && commands.containsKey(e.getAck().getRequestId())) {
      commands.remove(e.getAck().getRequestId()).complete(e.getAck());
      return;
    }
    if (e.hasError() && commands.containsKey(e.getError().getRequestId())) {
      commands
          .remove(e.getError().getRequestId())
          .completeExceptionally(new ServerErrorException(0, e.getError()));
      return;
    }
    if (e.hasPong() && e.getPong().getClientTimeUs() == snapshotsPingUs) {
      snapshotsPingUs = -1;
      cursor.snapshotsDone(); // the runner's own ping: not the application's
      return;
    }
    if (e.hasPong()) {
      CompletableFuture<Duration> p = pings.remove(e.getPong().getClientTimeUs());
      if (p != null) {
        p.complete(Duration.ofNanos(System.nanoTime() - e.getPong().getClientTimeUs() * 1000));
      }
    }
    switch (cursor.accept(e)) {
      case SNAPSHOT -> sink.snapshot(e);
      case EVENT -> {
        position = cursor.position();
        sink.event(e);
      }
      case FRAME -> sink.frame(e);
      case CONTROL -> sink.control(e);
      case DUPLICATE -> {}
    }
  }

  private void subscribeExtraViews(Channel ch) {
    if (extraViews.isEmpty()) {
      return;
    }
    Subscribe.Builder sub = Subscribe.newBuilder();
    for (FrameViewRequest v : extraViews) {
      sub.addViews(FrameViews.toProto(v));
    }
    write(ch, ClientMessage.newBuilder().setRequestId("views").setSubscribe(sub).build());
  }
}
