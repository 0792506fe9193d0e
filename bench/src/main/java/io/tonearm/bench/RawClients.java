package io.tonearm.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many bare WebSocket clients at minimal cost each: no SDK, no protobuf parsing. Each binary
 * message is scanned for the envelope's {@code server_time_us} (field 3) and body field number,
 * which is enough to count frames and state events and to measure publish-to-receive latency.
 */
final class RawClients implements AutoCloseable {

  private static final int BODY_TRANSPORT = 50;
  private static final int BODY_PLAYER = 20;
  private static final int BODY_QUEUE = 21;

  final AtomicLong frames = new AtomicLong();
  final AtomicLong stateEvents = new AtomicLong();
  final AtomicInteger closedByServer = new AtomicInteger();

  /** Close frames from the server by close code (what a stalled run lost its listeners to). */
  final java.util.concurrent.ConcurrentHashMap<Integer, AtomicInteger> closeCodes =
      new java.util.concurrent.ConcurrentHashMap<>();

  final LatencyHistogram frameLatency = new LatencyHistogram();
  final LatencyHistogram stateLatency = new LatencyHistogram();

  /**
   * Smallest and largest state-event latency since {@link #startCommand}, in µs: the first and the
   * last listener to get one command's event.
   */
  final AtomicLong firstState = new AtomicLong(Long.MAX_VALUE);

  final AtomicLong lastState = new AtomicLong();

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelType;
  private final List<Channel> channels = new ArrayList<>();
  private final AtomicInteger handshakes = new AtomicInteger();
  private final Counter counter = new Counter();

  RawClients(int threads) {
    this(threads, "bench-client");
  }

  /** {@code threads} event loops named {@code name}-N-M (e.g. to read their CPU from /proc). */
  RawClients(int threads, String name) {
    this(threads, name, false);
  }

  /**
   * {@code threads} event loops named {@code name}-N-M on io_uring when {@code uring} and the
   * kernel allows it (one {@code io_uring_enter} submits and reaps many sockets' reads, where epoll
   * makes a {@code recvfrom} call per socket), else epoll (NIO without it).
   */
  RawClients(int threads, String name, boolean uring) {
    boolean ring = uring && IoUring.isAvailable();
    boolean epoll = !ring && Epoll.isAvailable();
    channelType =
        ring
            ? IoUringSocketChannel.class
            : epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    group =
        new MultiThreadIoEventLoopGroup(
            threads,
            new DefaultThreadFactory(name, true),
            ring
                ? IoUringIoHandler.newFactory()
                : epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  /** The socket transport in use: "io_uring", "epoll" or "nio". */
  String transport() {
    return channelType == IoUringSocketChannel.class
        ? "io_uring"
        : channelType == EpollSocketChannel.class ? "epoll" : "nio";
  }

  /** Opens {@code n} sockets to {@code uri} in batches, waiting for each batch's handshakes. */
  void connect(URI uri, int n) throws InterruptedException {
    connect(uri, n, null);
  }

  /**
   * A bare WebSocket client of {@code uri} on {@code group}: TCP_NODELAY, the upgrade presenting
   * {@code token} (or none when null) as {@code Authorization: Bearer}, frames up to 1 MiB, then
   * {@code last} (a shared handler, or one per bootstrap).
   */
  static Bootstrap bootstrap(
      EventLoopGroup group, boolean epoll, URI uri, String token, ChannelHandler last) {
    return bootstrap(
        group, epoll ? EpollSocketChannel.class : NioSocketChannel.class, uri, token, last);
  }

  /** {@link #bootstrap(EventLoopGroup, boolean, URI, String, ChannelHandler)} on {@code type}. */
  static Bootstrap bootstrap(
      EventLoopGroup group,
      Class<? extends SocketChannel> type,
      URI uri,
      String token,
      ChannelHandler last) {
    io.netty.handler.codec.http.HttpHeaders headers =
        new io.netty.handler.codec.http.DefaultHttpHeaders();
    if (token != null) {
      headers.set(io.netty.handler.codec.http.HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
    }
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .customHeaders(headers)
            .maxFramePayloadLength(1 << 20)
            .handshakeTimeoutMillis(30_000)
            .build();
    return new Bootstrap()
        .group(group)
        .channel(type)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new HttpClientCodec())
                    .addLast(new HttpObjectAggregator(1 << 16))
                    .addLast(new WebSocketClientProtocolHandler(config))
                    .addLast(last);
              }
            });
  }

  /**
   * Opens {@code n} sockets to {@code uri} presenting {@code token} (or none when null) as {@code
   * Authorization: Bearer}; plain {@code ws://} only.
   */
  void connect(URI uri, int n, String token) throws InterruptedException {
    if (!"ws".equals(uri.getScheme())) {
      throw new IllegalArgumentException("the bare clients speak ws:// only, not " + uri);
    }
    Bootstrap b = bootstrap(group, channelType, uri, token, counter);
    int batch = 200;
    for (int done = 0; done < n; done += batch) {
      int k = Math.min(batch, n - done);
      List<ChannelFuture> fs = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        fs.add(b.connect(uri.getHost(), uri.getPort()));
      }
      for (ChannelFuture f : fs) {
        f.sync();
        channels.add(f.channel());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (handshakes.get() < done + k) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + handshakes.get() + " of " + (done + k) + " handshakes completed");
        }
        Thread.sleep(5);
      }
    }
  }

  /** The thread {@link #awaitStateEvents} parks, and the count that wakes it. */
  private volatile Thread waiter;

  private volatile long waitFor = Long.MAX_VALUE;

  /**
   * Waits, parked (not spinning: on a small machine a spinning waiter takes a core from the
   * processes measured), until {@link #stateEvents} reaches {@code target}; false after {@code
   * timeoutNanos}. One waiter at a time.
   */
  boolean awaitStateEvents(long target, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    waiter = Thread.currentThread();
    waitFor = target;
    try {
      while (stateEvents.get() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(this, left);
      }
      return true;
    } finally {
      waitFor = Long.MAX_VALUE;
      waiter = null;
    }
  }

  /** Starts {@link #firstState} and {@link #lastState} over (before a command). */
  void startCommand() {
    firstState.set(Long.MAX_VALUE);
    lastState.set(0);
  }

  /** Zeroes the counters and histograms: the measuring window starts now. */
  void reset() {
    frames.set(0);
    stateEvents.set(0);
    frameLatency.reset();
    stateLatency.reset();
  }

  @Override
  public void close() {
    List<ChannelFuture> closing = new ArrayList<>();
    for (Channel c : channels) {
      closing.add(
          c.writeAndFlush(new CloseWebSocketFrame(1000, "bye"))
              .addListener(io.netty.channel.ChannelFutureListener.CLOSE));
    }
    // Closed before the loops stop: io_uring completes a close on its loop, which must still run.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (ChannelFuture f : closing) {
      f.channel()
          .closeFuture()
          .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  @Sharable
  private final class Counter extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
      if (f instanceof BinaryWebSocketFrame) {
        scan(f.content());
      } else if (f instanceof CloseWebSocketFrame close) {
        closedByServer.incrementAndGet();
        closeCodes.computeIfAbsent(close.statusCode(), c -> new AtomicInteger()).incrementAndGet();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        handshakes.incrementAndGet();
      }
      super.userEventTriggered(ctx, evt);
    }
  }

  /** Reads fields 1-4 of an Envelope (written in field order) and its body's field number. */
  private void scan(ByteBuf buf) {
    long now = WallClock.micros();
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    long serverTime = 0;
    while (i < end) {
      long tag = 0;
      int shift = 0;
      byte b;
      do {
        b = buf.getByte(i++);
        tag |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while (b < 0);
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field >= 10) {
        if (field == BODY_TRANSPORT) {
          frames.incrementAndGet();
          frameLatency.record(now - serverTime);
        } else if (field == BODY_PLAYER || field == BODY_QUEUE) {
          long us = now - serverTime;
          stateLatency.record(us);
          firstState.accumulateAndGet(us, Math::min);
          lastState.accumulateAndGet(us, Math::max);
          if (stateEvents.incrementAndGet() >= waitFor) {
            Thread w = waiter;
            if (w != null) {
              java.util.concurrent.locks.LockSupport.unpark(w);
            }
          }
        }
        return;
      }
      long v = 0;
      shift = 0;
      do {
        b = buf.getByte(i++);
        v |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while (b < 0);
      if (wire == 2) {
        i += (int) v;
      } else if (field == 3) {
        serverTime = v;
      }
    }
  }
}
