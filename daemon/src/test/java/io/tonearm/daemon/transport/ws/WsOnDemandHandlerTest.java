package io.tonearm.daemon.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WsOnDemandHandlerTest {

  private static final WebSocketServerProtocolConfig CONFIG =
      WebSocketServerProtocolConfig.newBuilder()
          .websocketPath("/ws")
          .checkStartsWith(true)
          .sendCloseFrame(null)
          .build();

  private static final String[] TARGETS = {
    "/api/v1/player",
    "/api/v1/player/volume",
    "/ws",
    "/ws?topics=player",
    "/ws/x",
    "/wsx",
    "/w",
    "/",
    "/health",
    "/api/ws"
  };

  /** What reached the end of the pipeline: each message's kind and target or text. */
  private static final class Recorder extends ChannelInboundHandlerAdapter {
    final List<String> seen = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof FullHttpRequest r) {
        seen.add(r.method() + " " + r.uri() + " " + r.content().toString(StandardCharsets.UTF_8));
      } else if (msg instanceof WebSocketFrame f) {
        seen.add(f.getClass().getSimpleName() + " " + f.content().toString(StandardCharsets.UTF_8));
      } else {
        seen.add(msg.getClass().getSimpleName());
      }
      ReferenceCountUtil.release(msg);
    }
  }

  private static void addWebSocket(ChannelPipeline p) {
    p.addBefore("end", "upgrade", new ClosingProtocolHandler(CONFIG))
        .addBefore("end", "messages", new WebSocketFrameAggregator(65536));
  }

  private static EmbeddedChannel channel(boolean onDemand, Recorder end) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline()
        .addLast("http", new HttpServerCodec())
        .addLast("aggregate", new HttpObjectAggregator(65536))
        .addLast("end", end);
    ChannelHandler first =
        onDemand ? new WsOnDemandHandler("/ws", WsOnDemandHandlerTest::addWebSocket) : null;
    if (first != null) {
      ch.pipeline().addBefore("end", "ws", first);
    } else {
      addWebSocket(ch.pipeline());
    }
    return ch;
  }

  private static String request(Random rnd) {
    String target = TARGETS[rnd.nextInt(TARGETS.length)];
    String method = rnd.nextInt(4) == 0 ? "POST" : "GET";
    StringBuilder s = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: h\r\n");
    if (rnd.nextBoolean()) {
      s.append("Connection: Upgrade\r\nUpgrade: websocket\r\n")
          .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
          .append("Sec-WebSocket-Version: ")
          .append(rnd.nextInt(5) == 0 ? "8" : "13")
          .append("\r\n");
    }
    String body = method.equals("POST") ? "{\"volume\":" + rnd.nextInt(101) + "}" : "";
    return s.append("Content-Length: ")
        .append(body.length())
        .append("\r\n\r\n")
        .append(body)
        .toString();
  }

  /** A masked client text frame (RFC 6455 section 5.3), key 0 so the payload reads as sent. */
  private static byte[] textFrame(String text) {
    byte[] p = text.getBytes(StandardCharsets.UTF_8);
    byte[] f = new byte[6 + p.length];
    f[0] = (byte) 0x81;
    f[1] = (byte) (0x80 | p.length);
    System.arraycopy(p, 0, f, 6, p.length);
    return f;
  }

  private static List<String> run(boolean onDemand, List<byte[]> input) {
    Recorder end = new Recorder();
    EmbeddedChannel ch = channel(onDemand, end);
    List<String> out = new ArrayList<>();
    for (byte[] in : input) {
      if (!ch.isOpen()) {
        out.add("closed");
        break;
      }
      try {
        ch.writeInbound(Unpooled.wrappedBuffer(in));
      } catch (RuntimeException e) { // what reached the pipeline's end uncaught
        out.add("exception " + e);
      }
      for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
        if (o instanceof ByteBuf b) {
          // The Date-free replies of Netty's handshake: the bytes as written.
          out.add("out " + b.toString(StandardCharsets.ISO_8859_1));
        } else {
          out.add("out " + o);
        }
        ReferenceCountUtil.release(o);
      }
    }
    out.addAll(end.seen);
    out.add(ch.isOpen() ? "open" : "closed");
    ch.finishAndReleaseAll();
    return out;
  }

  @Test
  void connectionsGetTheSameRepliesAndMessagesAsWithTheHandlersFromTheStart() {
    Random rnd = new Random(13);
    for (int i = 0; i < 2_000; i++) {
      List<byte[]> input = new ArrayList<>();
      int n = 1 + rnd.nextInt(4);
      for (int j = 0; j < n; j++) {
        input.add(
            rnd.nextInt(4) == 0
                ? textFrame("m" + j)
                : request(rnd).getBytes(StandardCharsets.ISO_8859_1));
      }
      assertEquals(run(false, input), run(true, input), "connection " + i);
    }
  }

  @Test
  void anApiRequestPassesWithoutTheWebSocketHandlers() {
    Recorder end = new Recorder();
    EmbeddedChannel ch = channel(true, end);
    ch.writeInbound(
        Unpooled.copiedBuffer(
            "POST /api/v1/player/volume HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}",
            StandardCharsets.ISO_8859_1));
    assertEquals(List.of("POST /api/v1/player/volume {}"), end.seen);
    assertNotNull(ch.pipeline().get("ws"));
    assertNull(ch.pipeline().get("upgrade"));
    ch.finishAndReleaseAll();
  }

  @Test
  void aRequestForTheSocketPathPutsThemInItsPlace() {
    Recorder end = new Recorder();
    EmbeddedChannel ch = channel(true, end);
    ch.writeInbound(
        Unpooled.copiedBuffer(
            "GET /ws?topics=player HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\n"
                + "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n",
            StandardCharsets.ISO_8859_1));
    assertNull(ch.pipeline().get("ws"));
    assertNotNull(ch.pipeline().get("upgrade"));
    assertNotNull(ch.pipeline().get("messages"));
    ByteBuf reply = ch.readOutbound();
    assertEquals(
        "HTTP/1.1 101 Switching Protocols",
        reply.toString(StandardCharsets.ISO_8859_1).split("\r\n")[0]);
    reply.release();
    ch.finishAndReleaseAll();
  }
}
