package io.tonearm.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A resume through a bare Netty WebSocket client (no SDK, no protobuf parse: the envelope's seq and
 * body field are read by hand), with the time of each phase: TCP connected, upgrade answered,
 * hello, first and last replayed event. The SDK's figure minus this one is what the SDK adds. One
 * connection at a time; {@link #resume} is called from one thread.
 */
final class RawResume implements AutoCloseable {

  private static final int BODY_HELLO = 10;

  private final EventLoopGroup group;
  private final boolean epoll = Epoll.isAvailable();

  RawResume() {
    group =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("bench-raw-resume", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  /** The nanoTime of each phase of one resume, from {@code start}. */
  static final class Phases {
    final long start;
    volatile long connected;
    volatile long upgraded;
    volatile long hello;
    volatile long first;
    volatile long last;
    volatile boolean recovered;
    volatile String error;

    Phases(long start) {
      this.start = start;
    }
  }

  /**
   * Opens {@code ws} ({@code /ws?format=binary&topics=...}) with {@code resume=epoch:seq}, waits
   * until seq {@code lastSeq} arrives, checks the seqs from {@code seq+1} as {@link ResumeCheck}
   * does ({@code count}: -1, or the events expected up to {@code lastSeq}), closes.
   */
  Phases resume(URI ws, String token, String epoch, long seq, long lastSeq, long count)
      throws Exception {
    URI uri =
        URI.create(ws + "&resume=" + URLEncoder.encode(epoch + ":" + seq, StandardCharsets.UTF_8));
    CountDownLatch done = new CountDownLatch(1);
    Phases p = new Phases(System.nanoTime());
    Recorder rec = new Recorder(p, new ResumeCheck(seq + 1, lastSeq, count), done);
    var ch =
        RawClients.bootstrap(group, epoll, uri, token, rec)
            .connect(uri.getHost(), uri.getPort())
            .addListener(f -> p.connected = System.nanoTime())
            .channel();
    if (!done.await(30, TimeUnit.SECONDS)) {
      ch.close();
      throw new IllegalStateException("raw resume timed out");
    }
    ch.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(f -> ch.close());
    ch.closeFuture().await(5, TimeUnit.SECONDS);
    return p;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private static final class Recorder extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final Phases p;
    private final ResumeCheck check;
    private final CountDownLatch done;

    Recorder(Phases p, ResumeCheck check, CountDownLatch done) {
      this.p = p;
      this.check = check;
      this.done = done;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        p.upgraded = System.nanoTime();
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
      if (!(f instanceof BinaryWebSocketFrame)) {
        return;
      }
      long now = System.nanoTime();
      long[] seqAndBody = scan(f.content());
      if (seqAndBody[1] == BODY_HELLO) {
        p.hello = now;
        p.recovered = seqAndBody[2] != 0;
        return;
      }
      long seq = seqAndBody[0];
      if (seq == 0) {
        return; // a control message
      }
      boolean last = check.event(seq);
      p.error = check.error();
      if (p.first == 0) {
        p.first = now;
      }
      if (last) {
        p.last = now;
        done.countDown();
      }
    }
  }

  /**
   * The envelope's seq (field 1), its body's field number, and for a hello whether {@code
   * recovered} (Hello field 5) is set, read without a parser.
   */
  static long[] scan(ByteBuf buf) {
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    long seq = 0;
    while (i < end) {
      long tag = readVarint(buf, i);
      i += varintSize(buf, i);
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field >= 10) {
        long recovered = 0;
        if (field == BODY_HELLO && wire == 2) {
          long len = readVarint(buf, i);
          i += varintSize(buf, i);
          recovered = helloRecovered(buf, i, i + (int) len);
        }
        return new long[] {seq, field, recovered};
      }
      if (wire == 0 && field == 1) {
        seq = readVarint(buf, i);
      }
      i = skip(buf, i, wire);
      if (i < 0) {
        break;
      }
    }
    return new long[] {seq, 0, 0};
  }

  /** Hello's {@code recovered} (field 5, varint) between {@code i} and {@code end}, else 0. */
  private static long helloRecovered(ByteBuf buf, int i, int end) {
    while (i < end) {
      long tag = readVarint(buf, i);
      i += varintSize(buf, i);
      int wire = (int) (tag & 7);
      if (wire == 0 && (tag >>> 3) == 5) {
        return readVarint(buf, i);
      }
      i = skip(buf, i, wire);
      if (i < 0) {
        break;
      }
    }
    return 0;
  }

  /**
   * The index just past a value of wire type {@code wire} at {@code i}; -1 for a type not skipped.
   */
  private static int skip(ByteBuf buf, int i, int wire) {
    switch (wire) {
      case 0:
        return i + varintSize(buf, i);
      case 1:
        return i + 8;
      case 2:
        return i + varintSize(buf, i) + (int) readVarint(buf, i);
      case 5:
        return i + 4;
      default:
        return -1;
    }
  }

  private static long readVarint(ByteBuf buf, int i) {
    long v = 0;
    int shift = 0;
    byte b;
    do {
      b = buf.getByte(i++);
      v |= (long) (b & 0x7f) << shift;
      shift += 7;
    } while (b < 0);
    return v;
  }

  private static int varintSize(ByteBuf buf, int i) {
    int n = 1;
    while (buf.getByte(i++) < 0) {
      n++;
    }
    return n;
  }
}
