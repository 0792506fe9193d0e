package io.tonearm.daemon.transport.ws;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.tonearm.daemon.access.Caller;
import io.tonearm.daemon.access.Principal;
import io.tonearm.daemon.command.CommandRunner;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.events.WireTypes;
import io.tonearm.proto.v1.Ack;
import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Command;
import io.tonearm.proto.v1.CommandSource;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Error;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.Hello;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.Pong;
import io.tonearm.proto.v1.StreamBinding;
import io.tonearm.proto.v1.Subscribe;
import io.tonearm.proto.v1.Unsubscribe;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One WebSocket connection after the upgrade: sends the hello and the first snapshot or replay,
 * answers control messages, pings an idle client and closes it when pongs stop.
 */
public final class WsHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

  private static final JsonFormat.Parser JSON =
      JsonFormat.parser().usingTypeRegistry(WireTypes.REGISTRY);

  /** Reads the request id of a JSON message the strict parser refused (an unknown body). */
  private static final JsonFormat.Parser LENIENT = JSON.ignoringUnknownFields();

  /** Distinct frame streams one connection may hold; past it a subscribe gets too_many_views. */
  public static final int MAX_VIEWS_PER_CONNECTION = 16;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WsHandler.class);

  /**
   * Who the socket acts as: set by the gate when it admits the upgrade (trusted loopback included).
   * A socket that reaches the handler without it is closed unserved (1008): an upgrade the gate did
   * not decide must not act as anyone (as {@code /ws/<anything>} once did, through Netty's
   * prefix-matching upgrade).
   */
  public static final AttributeKey<Principal> PRINCIPAL = AttributeKey.valueOf("tonearm.principal");

  /** The zone the socket follows: set by the gate at the upgrade; absent means "default". */
  public static final AttributeKey<String> ZONE = AttributeKey.valueOf("tonearm.zone");

  /**
   * Commands refused with {@code rate_limited} within {@link #FLOOD_WINDOW_MS} after which the
   * socket is closed with 4008.
   */
  public static final int MAX_REFUSED_IN_WINDOW = 100;

  /** The window over which rate refusals are counted, in ms. */
  public static final long FLOOD_WINDOW_MS = 10_000;

  private final WsContext ctx;
  private io.tonearm.daemon.events.StateLog hub; // the zone's state lane, set at open
  private ChannelHandlerContext channel;
  private WsSession session;
  private int missedPongs;
  private String clientName = "";
  private CommandSource source = CommandSource.COMMAND_SOURCE_UNSPECIFIED;
  private Caller caller = Caller.INTERNAL;
  private String zone = io.tonearm.daemon.events.ZoneId.DEFAULT;
  private int refusedInWindow;
  private long windowStartNanos;

  public WsHandler(WsContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The frame decoder settings of the upgrade (replaced by the checking decoder once it is done).
   */
  public static WebSocketDecoderConfig decoderConfig(int maxFrameBytes) {
    return ClientFrameDecoder.config(maxFrameBytes);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext c, Object evt) throws Exception {
    if (evt instanceof HandshakeComplete hs) {
      // The upgrade installs Netty's decoder; ours checks close frames fully. A client sends
      // nothing before the 101 (RFC 6455 section 4.1), so the old one holds no partial frame.
      c.pipeline()
          .replace(
              WebSocketFrameDecoder.class,
              "wsdecoder",
              new ClientFrameDecoder(ctx.maxFrameBytes()));
      open(c, WsRequest.parse(hs.requestUri()));
    } else if (evt instanceof IdleStateEvent && session != null) {
      if (++missedPongs > ctx.maxMissedPongs()) {
        session.close(
            CloseCodes.PONG_TIMEOUT,
            "no pong to " + ctx.maxMissedPongs() + " pings",
            "pong_timeout");
      } else {
        c.writeAndFlush(new PingWebSocketFrame(), c.voidPromise());
      }
    } else {
      super.userEventTriggered(c, evt);
    }
  }

  private void open(ChannelHandlerContext c, WsRequest req) {
    channel = c;
    String id = ctx.nextConnectionId();
    Principal p = c.channel().attr(PRINCIPAL).get();
    if (p == null) {
      LOG.error("a WebSocket upgrade of {} reached the handler without the gate's admission", id);
      c.writeAndFlush(
              new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(
                  CloseCodes.POLICY_VIOLATION, "not admitted"))
          .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
      return;
    }
    caller = new Caller(p, io.tonearm.daemon.transport.http.Authentication.addressOf(c.channel()));
    clientName = req.clientName();
    source = req.source();
    String chosen = c.channel().attr(ZONE).get();
    zone = chosen == null ? io.tonearm.daemon.events.ZoneId.DEFAULT : chosen;
    hub = ctx.hub().forZone(zone);
    session =
        new WsSession(
            c.channel(),
            id,
            zone,
            caller.principal(),
            req.json(),
            hub,
            ctx.frames(),
            ctx.fanout(),
            ctx.metrics(),
            ctx.budgetBytes(),
            ctx.subscriptions());
    ctx.connections().incrementAndGet();
    ctx.metrics().connectionOpened();
    Set<Topic> state = EnumSet.noneOf(Topic.class);
    List<FrameView> views = new ArrayList<>();
    for (Topic t : req.topics()) {
      if (t.lane() == Topic.Lane.STATE) {
        state.add(t);
      } else {
        views.add(FrameView.newBuilder().setTopic(t.wireName()).setFps(req.fps()).build());
      }
    }
    List<FrameStreams.Stream> joined;
    try {
      joined = joinAll(views);
    } catch (IllegalArgumentException | FrameStreams.OverBudgetException e) {
      String code = e instanceof FrameStreams.OverBudgetException ? "render_budget" : "bad_request";
      session.control(error("", code, e.getMessage()));
      session.close(1008, e.getMessage(), code);
      return;
    }
    EventHub.Start start = hub.start(state, session::sees, req.resumeEpoch(), req.resumeSeq());
    Hello.Builder hello =
        Hello.newBuilder()
            .setEpoch(hub.epoch())
            .setSeq(start.recovered() ? hub.currentSeq() : start.seq())
            .setServerVersion(ctx.version())
            .addAllCapabilities(ctx.capabilities())
            .setRecovered(start.recovered())
            .setConnectionId("ws:" + id)
            .setClientName(clientName)
            .setSource(source)
            .setZone(zone)
            .addAllTokenZones(new java.util.TreeSet<>(caller.principal().zones()));
    req.topics().forEach(t -> hello.addTopics(t.wireName()));
    String what =
        (req.json() ? "json" : "binary")
            + ", topics "
            + hello.getTopicsList()
            + ", "
            + (start.recovered() ? "resumed" : "snapshot")
            + ", zone "
            + zone;
    long expires = caller.principal().expiresMs();
    if (expires > 0) {
      c.executor()
          .schedule(
              () ->
                  session.close(
                      CloseCodes.TOKEN_REVOKED,
                      "token '" + caller.principal().name() + "' expired",
                      "token_expired"),
              Math.max(0, expires - System.currentTimeMillis()),
              java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    // The hello leaves with the replay or the snapshots in one write, and the line is logged
    // after it: a resume's first bytes do not wait for the log's two writes.
    session.controlUnflushed(envelope().setHello(hello).build());
    session.startState(state, start);
    joined.forEach(session::addStream);
    session.drain(List.of(), List.of());
    session.flush();
    if (ctx.access() != null) {
      ctx.access().audit().socketOpened("ws:" + id, caller.where(), caller.principal(), what);
    } else {
      LOG.info("client ws:{} connected from {} ({})", id, c.channel().remoteAddress(), what);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext c, WebSocketFrame frame) {
    missedPongs = 0;
    if (frame instanceof PongWebSocketFrame || session == null || session.isClosed()) {
      return; // after the daemon's close frame the client's messages are read and dropped
    }
    ClientMessage msg;
    try {
      if (frame instanceof BinaryWebSocketFrame) {
        msg = ClientMessage.parseFrom(ByteBufUtil.getBytes(frame.content()));
      } else if (frame instanceof TextWebSocketFrame text) {
        ClientMessage.Builder b = ClientMessage.newBuilder();
        JSON.merge(text.text(), b);
        msg = b.build();
      } else {
        return;
      }
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      session.control(
          error(requestIdOf(frame), "bad_request", "malformed control message: " + e.getMessage()));
      return;
    }
    switch (msg.getBodyCase()) {
      case SUBSCRIBE -> subscribe(msg.getRequestId(), msg.getSubscribe());
      case UNSUBSCRIBE -> unsubscribe(msg.getRequestId(), msg.getUnsubscribe());
      case PING ->
          session.control(
              envelope()
                  .setPong(Pong.newBuilder().setClientTimeUs(msg.getPing().getClientTimeUs()))
                  .build());
      case COMMAND -> command(c, msg.getRequestId(), msg.getCommand());
      default ->
          session.control(
              error(msg.getRequestId(), "bad_request", "control message has no known body"));
    }
  }

  /** The request id of a text frame that parses only when unknown fields are ignored, or "". */
  private static String requestIdOf(WebSocketFrame frame) {
    if (!(frame instanceof TextWebSocketFrame text)) {
      return "";
    }
    try {
      ClientMessage.Builder b = ClientMessage.newBuilder();
      LENIENT.merge(text.text(), b);
      return b.getRequestId();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return "";
    }
  }

  /**
   * Runs a command; its Ack leaves after the event it caused has been written to this socket, its
   * Error at once (a refused command changed nothing).
   */
  private void command(ChannelHandlerContext c, String requestId, Command cmd) {
    if (requestId.isEmpty()) {
      session.control(error("", "bad_request", "a command needs a request_id"));
      return;
    }
    Origin origin =
        Origin.newBuilder()
            .setClient("ws:" + session.id())
            .setClientName(clientName)
            .setSource(
                cmd.getSource() == CommandSource.COMMAND_SOURCE_UNSPECIFIED
                    ? source
                    : cmd.getSource())
            .build();
    CompletionStage<Message> reply;
    try {
      reply = ctx.commands().run(caller, cmd, origin, zone);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete(
        (r, err) ->
            c.executor()
                .execute(
                    () -> {
                      if (err != null) {
                        Error e =
                            CommandRunner.error(err).toBuilder().setRequestId(requestId).build();
                        session.control(envelope().setError(e).build());
                        if (e.getCode().equals("rate_limited") && flooding()) {
                          session.close(
                              CloseCodes.RATE_LIMITED,
                              MAX_REFUSED_IN_WINDOW
                                  + " commands over the rate limit within 10 s; slow down",
                              "rate_limited");
                        }
                        return;
                      }
                      long seq = CommandRunner.seqOf(r, hub.currentSeq());
                      if (!cmd.getZone().isEmpty() && !cmd.getZone().equals(zone)) {
                        // Another zone's change: its events are not this socket's to wait for (a
                        // relay's log of this zone never holds them; the origin's hub has them).
                        seq = Math.min(seq, hub.currentSeq());
                      }
                      Ack ack =
                          Ack.newBuilder()
                              .setRequestId(requestId)
                              .setSeq(seq)
                              .setReply(Any.pack(r))
                              .build();
                      session.ackAfter(seq, envelope().setAck(ack).build());
                    }));
  }

  /** Counts one refusal for rate; true when this window has had too many. */
  private boolean flooding() {
    long now = System.nanoTime();
    if (refusedInWindow == 0 || now - windowStartNanos > FLOOD_WINDOW_MS * 1_000_000) {
      windowStartNanos = now;
      refusedInWindow = 0;
    }
    return ++refusedInWindow > MAX_REFUSED_IN_WINDOW;
  }

  private void subscribe(String requestId, Subscribe sub) {
    subscribe(requestId, sub, 0);
  }

  /**
   * A relay's snapshots may be older than this connection's position for a while (until the
   * origin's next snapshot cut reaches it): the subscribe is tried again every {@value
   * #SNAPSHOT_RETRY_MS} ms, and refused with {@code unavailable} after {@value #SNAPSHOT_RETRIES}
   * tries. The origin's snapshots are always current.
   */
  private static final int SNAPSHOT_RETRY_MS = 20;

  private static final int SNAPSHOT_RETRIES = 150;

  private void subscribe(String requestId, Subscribe sub, int tries) {
    if (tries > 0 && !channel.channel().isActive()) {
      return;
    }
    Set<Topic> state = EnumSet.noneOf(Topic.class);
    List<FrameView> views = new ArrayList<>(sub.getViewsList());
    for (String name : sub.getTopicsList()) {
      Topic t = Topic.byWireName(name).orElse(null);
      if (t == null) {
        session.control(error(requestId, "unknown_topic", "unknown topic: " + name));
        return;
      }
      if (t.lane() == Topic.Lane.STATE) {
        state.add(t);
      } else {
        views.add(FrameView.newBuilder().setTopic(t.wireName()).build());
      }
    }
    String epoch = null;
    long[] seq = new long[1];
    if (!sub.getResume().isEmpty()) {
      try {
        epoch = WsRequest.parseResume(sub.getResume(), seq);
      } catch (IllegalArgumentException e) {
        session.control(error(requestId, "bad_request", e.getMessage()));
        return;
      }
    }
    List<FrameStreams.Stream> joined;
    try {
      joined = joinAll(views);
    } catch (IllegalArgumentException e) {
      session.control(error(requestId, "bad_view", e.getMessage()));
      return;
    } catch (FrameStreams.OverBudgetException e) {
      session.control(error(requestId, "render_budget", e.getMessage()));
      return;
    }
    Set<String> held = new HashSet<>(session.streams().keySet());
    joined.forEach(s -> held.add(s.id()));
    if (held.size() > MAX_VIEWS_PER_CONNECTION) {
      joined.forEach(ctx.frames()::leave);
      session.control(
          error(
              requestId,
              "too_many_views",
              "at most "
                  + MAX_VIEWS_PER_CONNECTION
                  + " distinct views per connection: this one holds "
                  + session.streams().size()
                  + " and the subscribe would make it "
                  + held.size()));
      return;
    }
    // Without resume, only topics new to this connection get a snapshot; with resume, all do.
    Set<Topic> target = EnumSet.copyOf(state);
    if (epoch == null) {
      target.removeAll(session.topics());
    } else {
      target.addAll(session.topics());
    }
    if (session.position() > 0 && hub.snapshotsBehind(target, session.position())) {
      joined.forEach(ctx.frames()::leave);
      if (tries >= SNAPSHOT_RETRIES) {
        session.control(
            error(
                requestId,
                "unavailable",
                "this relay has no snapshot at this connection's position yet; subscribe again"));
      } else {
        channel
            .executor()
            .schedule(
                () -> subscribe(requestId, sub, tries + 1),
                SNAPSHOT_RETRY_MS,
                java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      return;
    }
    EventHub.Start start = hub.start(target, session::sees, epoch, seq[0]);
    joined.forEach(session::addStream);
    session.control(
        envelope().setAck(ack(requestId, start.recovered(), start.seq(), target)).build());
    session.startState(target, start);
    session.drain(List.of(), List.of());
  }

  private void unsubscribe(String requestId, Unsubscribe unsub) {
    Set<Topic> gone = EnumSet.noneOf(Topic.class);
    for (String name : unsub.getTopicsList()) {
      Topic t = Topic.byWireName(name).orElse(null);
      if (t == null) {
        session.control(error(requestId, "unknown_topic", "unknown topic: " + name));
        return;
      }
      gone.add(t);
    }
    session.removeTopics(gone);
    for (FrameStreams.Stream s : new ArrayList<>(session.streams().values())) {
      if (gone.contains(s.topic()) || unsub.getStreamsList().contains(s.id())) {
        session.removeStream(s);
      }
    }
    session.control(envelope().setAck(ack(requestId, false, hub.currentSeq(), Set.of())).build());
  }

  /** Joins every view or none: on a failure the ones joined are left again. */
  private List<FrameStreams.Stream> joinAll(List<FrameView> views) {
    List<FrameStreams.Stream> joined = new ArrayList<>();
    try {
      for (FrameView v : views) {
        joined.add(ctx.frames().join(zone, v, channel.channel().eventLoop()));
      }
    } catch (IllegalArgumentException | FrameStreams.OverBudgetException e) {
      joined.forEach(ctx.frames()::leave);
      throw e;
    }
    return joined;
  }

  private Ack ack(String requestId, boolean recovered, long seq, Set<Topic> adding) {
    Ack.Builder a = Ack.newBuilder().setRequestId(requestId).setRecovered(recovered).setSeq(seq);
    Set<Topic> state = EnumSet.noneOf(Topic.class);
    state.addAll(session.topics());
    state.addAll(adding);
    state.forEach(t -> a.addTopics(t.wireName()));
    for (FrameStreams.Stream s : session.streams().values()) {
      a.addTopics(s.topic().wireName());
      a.addStreams(StreamBinding.newBuilder().setStream(s.id()).setView(s.view()));
    }
    return a.build();
  }

  private Envelope error(String requestId, String code, String message) {
    return envelope()
        .setError(Error.newBuilder().setCode(code).setMessage(message).setRequestId(requestId))
        .build();
  }

  private Envelope.Builder envelope() {
    return Envelope.newBuilder().setEpoch(hub.epoch()).setServerTimeUs(hub.clockMicros());
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext c) throws Exception {
    if (session != null && c.channel().isWritable()) {
      ctx.fanout().loop(c.channel().eventLoop()).wake(session);
    }
    super.channelWritabilityChanged(c);
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) throws Exception {
    if (session != null) {
      session.release();
      ctx.connections().decrementAndGet();
      if (ctx.access() != null) {
        ctx.access().audit().socketClosed("ws:" + session.id(), caller.where(), caller.principal());
      } else {
        LOG.info("client ws:{} disconnected", session.id());
      }
    }
    super.channelInactive(c);
  }

  /** The session, for the daemon's shutdown (null before the handshake completes). */
  WsSession session() {
    return session;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    if (session != null && cause instanceof CorruptedWebSocketFrameException bad) {
      session.close(bad.closeStatus().code(), bad.getMessage(), "protocol_error");
      return;
    }
    if (session != null && cause instanceof TooLongFrameException) {
      // The fragments of one message add up to more than the limit (one frame too long is
      // refused by the frame decoder itself, with the same code).
      session.close(
          CloseCodes.TOO_BIG, "message over " + ctx.maxFrameBytes() + " bytes", "too_big");
      return;
    }
    if (cause instanceof java.io.IOException
        || cause instanceof io.netty.handler.codec.DecoderException) {
      LOG.debug("closing {}: {}", c.channel().remoteAddress(), cause.toString());
    } else {
      LOG.warn("closing {} after an error", c.channel().remoteAddress(), cause);
    }
    c.close();
  }
}
