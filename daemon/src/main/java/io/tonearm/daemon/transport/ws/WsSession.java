package io.tonearm.daemon.transport.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.events.StateLog;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.ops.Metrics;
import io.tonearm.proto.v1.Envelope;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One WebSocket client's place in the stream: its topics, its cursor into the state lane's history,
 * its frame streams and the newest frame it could not take yet. Confined to the channel's event
 * loop.
 *
 * <p>The state lane is lossless by construction: the session does not queue events, it keeps a
 * cursor (the next seq it owes the client) and writes from the shared history while the channel is
 * writable. A client that falls further behind than its budget, or behind the history, is closed
 * with {@link CloseCodes#SLOW_CONSUMER}; it resumes from its last seq.
 */
final class WsSession {

  private final Channel channel;

  /**
   * The first handler's context: a ready-made frame written here goes straight to the socket,
   * skipping the outbound walk through every handler (none of which has anything to do with it).
   */
  private final io.netty.channel.ChannelHandlerContext first;

  /** Fan-out frames straight to the socket when nothing is queued for it; null: not possible. */
  private final DirectSend direct;

  private final String id;
  private final String zone;
  private final io.tonearm.daemon.access.Principal principal;
  private final boolean json;
  private final StateLog hub;
  private final FrameStreams frames;
  private final Fanout.Loop loop;
  private final Metrics metrics;
  private final long budgetBytes;
  private final AtomicIntegerArray subscriptions;

  private final Set<Topic> topics = EnumSet.noneOf(Topic.class);

  /**
   * {@link #topics} as bits by ordinal, for {@link #wants}: asked for every event of the history a
   * fan-out pass passes, where the set's {@code contains} is an interface call and a class check
   * under C1.
   */
  private long topicBits;

  private final long[] topicStart = new long[Topic.values().length];
  private final Map<String, FrameStreams.Stream> streams = new LinkedHashMap<>();
  private final Map<FrameStreams.Stream, EncodedEvent> pendingFrames = new HashMap<>();

  /**
   * The values of {@link #streams}, for the fan-out's per-frame check by identity: a drain reads
   * this one array instead of hashing into the map (a cold cache line per socket and frame).
   */
  private FrameStreams.Stream[] watched = new FrameStreams.Stream[0];

  /**
   * Outside a fan-out pass (a resume's replay, a subscribe's catch-up, snapshots): the frames
   * written so far, copied into one pooled buffer that goes to the socket when full and before
   * anything else is written or flushed. A replay of 300 events is then a few buffers instead of a
   * direct buffer and a wrapper per event.
   */
  private io.netty.buffer.ByteBuf copied;

  /** Scratch for a frame's head in {@link #copy}. */
  private final byte[] header = new byte[10];

  /** The size of one {@link #copied} buffer. */
  static final int COPY_BYTES = 16 << 10;

  private long cursor; // next seq owed to the client; 0 until the state lane starts
  // Command answers waiting for the state lane to pass their seq, in the order they completed.
  private final java.util.ArrayDeque<PendingAck> pendingAcks = new java.util.ArrayDeque<>();

  /** An Ack to send once every event up to {@code seq} has been written. */
  private record PendingAck(long seq, Envelope ack) {}

  private boolean closed;
  private int mark; // the fan-out pass that drained this session last
  private long drains; // times drained

  /** True the first time in fan-out pass {@code pass}: drain then. Event loop only. */
  boolean mark(int pass) {
    if (mark == pass) {
      return false;
    }
    mark = pass;
    return true;
  }

  WsSession(
      Channel channel,
      String id,
      String zone,
      io.tonearm.daemon.access.Principal principal,
      boolean json,
      StateLog hub,
      FrameStreams frames,
      Fanout fanout,
      Metrics metrics,
      long budgetBytes,
      AtomicIntegerArray subscriptions) {
    this.channel = channel;
    this.first = writeContext(channel.pipeline());
    this.direct = DirectSend.of(channel, first);
    this.id = id;
    this.zone = zone;
    this.principal = principal;
    this.json = json;
    this.hub = hub;
    this.frames = frames;
    this.loop = fanout.loop(channel.eventLoop());
    this.metrics = metrics;
    this.budgetBytes = budgetBytes;
    this.subscriptions = subscriptions;
    loop.add(this);
  }

  String id() {
    return id;
  }

  /** The zone this socket follows. */
  String zone() {
    return zone;
  }

  /**
   * True when this socket may see state of {@code topic} in {@code eventZone}: a shared topic's
   * (zone ""), its own zone's, and on topic "zones" every zone its principal may use. The one rule
   * for live events, replays and snapshots.
   */
  boolean sees(Topic topic, String eventZone) {
    if (eventZone.isEmpty() || eventZone.equals(zone)) {
      return true;
    }
    return topic == Topic.ZONES && principal.allowsZone(eventZone);
  }

  Set<Topic> topics() {
    return topics;
  }

  Map<String, FrameStreams.Stream> streams() {
    return streams;
  }

  /** The next seq this client is owed; 0 before its state lane starts. */
  long position() {
    return cursor;
  }

  /**
   * Starts the state lane: a replay from {@code start.seq()+1} when recovered, else the snapshots
   * stamped {@code start.seq()} and live events after it. Catches up to the start first, so the
   * client never sees a seq go backwards.
   */
  void startState(Set<Topic> added, EventHub.Start start) {
    if (start.recovered()) {
      cursor = start.seq() + 1;
      java.util.Arrays.fill(topicStart, 0);
      addTopics(added);
      return;
    }
    if (cursor > 0 && !catchUpTo(start.seq())) {
      return;
    }
    for (EncodedEvent snap : start.snapshots()) {
      write(snap);
    }
    for (Topic t : added) {
      topicStart[t.ordinal()] = start.seq();
    }
    addTopics(added);
    cursor = Math.max(cursor, start.seq() + 1);
    flush();
  }

  /**
   * Writes every owed event up to {@code seq} regardless of writability (bounded by the budget).
   */
  private boolean catchUpTo(long seq) {
    if (cursor <= seq && bytesBehind(seq) > budgetBytes) {
      closeSlow();
      return false;
    }
    while (cursor <= seq) {
      EncodedEvent e = hub.event(cursor);
      if (e == null) {
        closeSlow();
        return false;
      }
      if (wants(e)) {
        write(e);
      }
      cursor++;
    }
    return true;
  }

  private void addTopics(Set<Topic> added) {
    for (Topic t : added) {
      if (topics.add(t)) {
        topicBits |= 1L << t.ordinal();
        subscriptions.incrementAndGet(t.ordinal());
      }
    }
  }

  void removeTopics(Set<Topic> gone) {
    for (Topic t : gone) {
      if (topics.remove(t)) {
        topicBits &= ~(1L << t.ordinal());
        subscriptions.decrementAndGet(t.ordinal());
      }
    }
  }

  void addStream(FrameStreams.Stream s) {
    if (streams.putIfAbsent(s.id(), s) == null) {
      watched = streams.values().toArray(new FrameStreams.Stream[0]);
      loop.watch(s, this);
      subscriptions.incrementAndGet(s.topic().ordinal());
    } else {
      frames.leave(s); // already joined: undo the extra join
    }
  }

  void removeStream(FrameStreams.Stream s) {
    if (streams.remove(s.id()) != null) {
      watched = streams.values().toArray(new FrameStreams.Stream[0]);
      loop.unwatch(s, this);
      subscriptions.decrementAndGet(s.topic().ordinal());
      pendingFrames.remove(s);
      frames.leave(s);
    }
  }

  /** Writes a control message (hello, ack, error, pong) now. */
  void control(Envelope env) {
    if (!closed) {
      writeCopied();
      channel.writeAndFlush(frame(new EncodedEvent(0, null, env)), channel.voidPromise());
    }
  }

  /**
   * Writes a control message without flushing it: the hello, which leaves with the replay or the
   * snapshots after it in one write to the socket (see {@link #flush}).
   */
  void controlUnflushed(Envelope env) {
    if (!closed) {
      writeCopied();
      channel.write(frame(new EncodedEvent(0, null, env)), channel.voidPromise());
    }
  }

  /** Sends everything written so far to the socket. */
  void flush() {
    if (!closed) {
      writeCopied();
      first.flush();
    }
  }

  /**
   * Sends a command's {@code ack} after every state event up to {@code seq} has been written to
   * this socket (at once when it already has), so the client sees its own change first. Acks keep
   * the order in which they are given. Event loop only.
   */
  void ackAfter(long seq, Envelope ack) {
    if (closed) {
      return;
    }
    pendingAcks.add(new PendingAck(seq, ack));
    drain(List.of(), List.of());
  }

  private void sendDueAcks() {
    while (!pendingAcks.isEmpty() && pendingAcks.peek().seq() < cursor) {
      control(pendingAcks.poll().ack());
    }
  }

  /** Times this session was drained (tests: who a fan-out pass visits). Event loop only. */
  long drains() {
    return drains;
  }

  /** Writes what the client is owed: state events from the cursor, then the newest frames. */
  void drain(List<FrameStreams.Stream> newStreams, List<EncodedEvent> newFrames) {
    if (closed) {
      return;
    }
    drains++;
    boolean wrote = false;
    long head = cursor == 0 ? 0 : hub.currentSeq();
    while (cursor <= head && channel.isWritable()) {
      EncodedEvent e = hub.event(cursor);
      if (e == null) {
        closeSlow();
        return;
      }
      if (wants(e)) {
        wrote |= write(e);
      }
      cursor++;
    }
    if (cursor > 0 && cursor <= head && bytesBehind(head) > budgetBytes) {
      closeSlow();
      return;
    }
    if (!pendingAcks.isEmpty()) {
      if (wrote) {
        flush();
        wrote = false;
      }
      sendDueAcks();
    }
    boolean writable = channel.isWritable();
    if (writable && !pendingFrames.isEmpty()) {
      for (EncodedEvent f : pendingFrames.values()) {
        write(f);
      }
      pendingFrames.clear();
      wrote = true;
    }
    boolean all = writable && !json && newStreams.size() > 1 && watchesAll(newStreams);
    if (all) {
      // Every frame of the pass: one write of the pass's frames back to back.
      writeCopied();
      io.netty.buffer.ByteBuf pass = loop.allFrames();
      wrote |= queue(pass, 0, pass.writerIndex());
      for (int i = 0; i < newFrames.size(); i++) {
        EncodedEvent f = newFrames.get(i);
        metrics.sent(f.topic(), f.webSocketFrameSize(false));
      }
    }
    for (int i = 0; !all && i < newStreams.size(); i++) {
      FrameStreams.Stream s = newStreams.get(i);
      if (!watches(s)) {
        continue;
      }
      if (writable) {
        wrote |= writeFrame(i, newFrames.get(i));
      } else if (pendingFrames.put(s, newFrames.get(i)) != null) {
        metrics.dropped(s.topic());
      }
    }
    if (wrote) {
      flush();
    }
  }

  /** True when this session watches every one of {@code streams}. */
  private boolean watchesAll(List<FrameStreams.Stream> streams) {
    for (int i = 0; i < streams.size(); i++) {
      if (!watches(streams.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** True when this session watches {@code s} (the same stream, not only its id). */
  private boolean watches(FrameStreams.Stream s) {
    FrameStreams.Stream[] w = watched;
    for (int i = 0; i < w.length; i++) {
      if (w[i] == s) {
        return true;
      }
    }
    return false;
  }

  private boolean wants(EncodedEvent e) {
    Topic t = e.topic();
    return t != null
        && (topicBits & (1L << t.ordinal())) != 0
        && e.seq() > topicStart[t.ordinal()]
        && sees(t, e.zone());
  }

  /** Bytes of history between the cursor and {@code head}, or MAX_VALUE when the cursor is gone. */
  private long bytesBehind(long head) {
    EncodedEvent from = hub.event(cursor);
    EncodedEvent to = hub.event(head);
    if (from == null || to == null) {
      return Long.MAX_VALUE;
    }
    return to.cumulativeBytes() - from.cumulativeBytes() + from.size();
  }

  /**
   * Where ready-made frames are written: the first handler's context, or with TLS the context just
   * after the {@code tls} handler, so that the bytes pass it (and only it) on their way out.
   */
  static io.netty.channel.ChannelHandlerContext writeContext(io.netty.channel.ChannelPipeline p) {
    java.util.List<String> names = p.names();
    int tls = names.indexOf("tls");
    return tls < 0 ? p.firstContext() : p.context(names.get(tls + 1));
  }

  /**
   * Writes the event's ready-made WebSocket frame: it passes the frame encoder untouched (a plain
   * buffer, not a {@link WebSocketFrame}), which is safe because no extension is negotiated. In a
   * fan-out pass it goes to the socket at once when nothing waits in front of it, as frames do
   * ({@link #queue}): a listener's one event per command is then one {@code send(2)} and no flush.
   * True when it waits for a flush.
   */
  private boolean write(EncodedEvent e) {
    if (!loop.draining()) {
      copy(e);
      return true;
    }
    writeCopied();
    io.netty.buffer.ByteBuf f = loop.stateFrame(e, json);
    if (e.topic() != null) {
      metrics.sent(e.topic(), f.readableBytes());
    }
    return queue(f, 0, f.writerIndex());
  }

  /**
   * Outside a fan-out pass the event's frame is copied into {@link #copied} rather than written on
   * its own: no per-event direct buffer for events no pass has framed yet (those published while
   * the client was away), one outbound entry per {@value #COPY_BYTES} bytes instead of one per
   * event. The copy goes out when full and before anything else is written or flushed, so the order
   * on the socket is the order of the calls.
   */
  private void copy(EncodedEvent e) {
    int bytes = e.webSocketFrameSize(json);
    if (copied != null && copied.writableBytes() < bytes) {
      writeCopied();
    }
    if (copied == null) {
      copied = channel.alloc().directBuffer(Math.max(COPY_BYTES, bytes));
    }
    Fanout.appendFrame(e, json, copied, header);
    if (e.topic() != null) {
      metrics.sent(e.topic(), bytes);
    }
  }

  /** Passes the copied frames on to the socket's outbound buffer (not flushed). */
  private void writeCopied() {
    io.netty.buffer.ByteBuf c = copied;
    if (c != null) {
      copied = null;
      first.write(c, first.voidPromise());
    }
  }

  /**
   * Writes the {@code i}th frame of the fan-out pass that drains this session now; true when it
   * waits for a flush.
   */
  private boolean writeFrame(int i, EncodedEvent e) {
    writeCopied();
    io.netty.buffer.ByteBuf f = loop.frames(i, json); // first: it copies the frames
    int from = loop.frameFrom(i, json);
    int to = loop.frameTo(i, json);
    metrics.sent(e.topic(), to - from);
    return queue(f, from, to);
  }

  /**
   * Sends bytes {@code [from, to)} of a fan-out pass's shared buffer straight to the socket when
   * nothing is queued in front of it ({@link DirectSend}), else writes a retained slice of them (or
   * of their unsent rest) to the pipeline; true when that waits there for a flush. A send that
   * completes at once takes no reference and makes no slice: with 1,000-5,000 sockets a tick, the
   * slice, its two reference-count updates and its release were a twelfth of the loop's own work.
   */
  private boolean queue(io.netty.buffer.ByteBuf shared, int from, int to) {
    int sent = direct == null ? 0 : direct.send(shared, from, to);
    if (sent == to - from) {
      return false;
    }
    first.write(shared.retainedSlice(from + sent, to - from - sent), first.voidPromise());
    return true;
  }

  private WebSocketFrame frame(EncodedEvent e) {
    return json
        ? new TextWebSocketFrame(Unpooled.wrappedBuffer(e.json()))
        : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(e.binary()));
  }

  private void closeSlow() {
    close(
        CloseCodes.SLOW_CONSUMER,
        "slow consumer: more than "
            + budgetBytes
            + " bytes of events behind; resume from your last seq",
        "slow_consumer");
  }

  /**
   * Sends a close frame and closes the connection; a client that does not read is cut after a
   * second.
   */
  void close(int code, String reason, String metricReason) {
    if (closed) {
      return;
    }
    metrics.disconnected(metricReason);
    writeCopied(); // what was owed before the close goes first
    release();
    channel
        .writeAndFlush(new CloseWebSocketFrame(code, fitReason(reason)))
        .addListener(HalfClose.AFTER_WRITE);
    // The client's close frame ends the connection (Netty's protocol handler); at the latest this.
    channel.eventLoop().schedule(() -> channel.close(), 1, TimeUnit.SECONDS);
  }

  /** Whether the session has ended: its close frame was sent, or the channel went away. */
  boolean isClosed() {
    return closed;
  }

  /** The reason cut to the 123 bytes of UTF-8 a close frame has room for, at a whole character. */
  static String fitReason(String reason) {
    String r = reason == null ? "" : reason;
    while (r.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) {
      r = r.substring(0, r.offsetByCodePoints(0, r.codePointCount(0, r.length()) - 1));
    }
    return r;
  }

  /** Leaves every stream and the loop. Idempotent; called when the channel goes inactive. */
  void release() {
    if (closed) {
      return;
    }
    closed = true;
    if (copied != null) {
      copied.release();
      copied = null;
    }
    loop.remove(this);
    for (FrameStreams.Stream s : streams.values()) {
      loop.unwatch(s, this);
      frames.leave(s);
      subscriptions.decrementAndGet(s.topic().ordinal());
    }
    removeTopics(EnumSet.copyOf(topics));
    streams.clear();
    watched = new FrameStreams.Stream[0];
    pendingFrames.clear();
    pendingAcks.clear();
  }
}
