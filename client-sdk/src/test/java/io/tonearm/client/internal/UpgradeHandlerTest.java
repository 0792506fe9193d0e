package io.tonearm.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UpgradeHandlerTest {

  private static final URI URI_ =
      URI.create("ws://127.0.0.1:7161/ws?format=binary&topics=player&resume=e%3A5");

  /** What reaches the handler after the upgrade: messages, exceptions, events. */
  private static final class Tail extends ChannelInboundHandlerAdapter {
    final List<Object> read = new ArrayList<>();
    final List<Throwable> caught = new ArrayList<>();
    final List<Object> events = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      read.add(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      caught.add(cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }
  }

  private final Tail tail = new Tail();

  private EmbeddedChannel channel(long handshakeMillis) {
    return new EmbeddedChannel(new UpgradeHandler(URI_, "tok", 1 << 20, handshakeMillis), tail);
  }

  private static String request(EmbeddedChannel ch) {
    ByteBuf b = ch.readOutbound();
    try {
      return b.toString(StandardCharsets.US_ASCII);
    } finally {
      b.release();
    }
  }

  private static String keyOf(String request) {
    Matcher m = Pattern.compile("sec-websocket-key: (\\S+)\r\n").matcher(request);
    assertTrue(m.find(), request);
    return m.group(1);
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  @Test
  void acceptValueOfTheRfcExample() {
    // RFC 6455 section 1.3.
    assertEquals(
        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", UpgradeHandler.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
  }

  @Test
  void writesTheRequestNettysHandshakerWrote() {
    EmbeddedChannel ch = channel(0);
    String req = request(ch);
    String key = keyOf(req);
    assertEquals(
        "GET /ws?format=binary&topics=player&resume=e%3A5 HTTP/1.1\r\n"
            + "authorization: Bearer tok\r\n"
            + "host: 127.0.0.1:7161\r\n"
            + "upgrade: websocket\r\n"
            + "connection: upgrade\r\n"
            + "sec-websocket-key: "
            + key
            + "\r\n"
            + "origin: http://127.0.0.1:7161\r\n"
            + "sec-websocket-version: 13\r\n\r\n",
        req);
    assertEquals(16, java.util.Base64.getDecoder().decode(key).length);
    EmbeddedChannel other = new EmbeddedChannel(new UpgradeHandler(URI_, null, 1 << 20, 0));
    String otherReq = request(other);
    assertTrue(!key.equals(keyOf(otherReq)), "a new key per connection");
    assertTrue(!otherReq.contains("authorization"), "no token, no header");
  }

  @Test
  void anAcceptedUpgradeHandsTheFramesAfterItToTheDecoder() {
    EmbeddedChannel ch = channel(10_000);
    String key = keyOf(request(ch));
    String answer =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + UpgradeHandler.acceptFor(key)
            + "\r\n\r\n";
    // The head in two reads, the second also carrying the first frame (binary, 3 bytes).
    ch.writeInbound(ascii(answer.substring(0, 40)));
    assertTrue(tail.read.isEmpty());
    ByteBuf rest = ascii(answer.substring(40)).writeBytes(new byte[] {(byte) 0x82, 3, 7, 8, 9});
    ch.writeInbound(rest);
    assertNull(ch.pipeline().get(UpgradeHandler.class));
    assertNotNull(ch.pipeline().get("ws-decoder"));
    assertNotNull(ch.pipeline().get("ws-encoder"));
    assertEquals(1, tail.read.size(), tail.read.toString());
    BinaryWebSocketFrame f = assertInstanceOf(BinaryWebSocketFrame.class, tail.read.get(0));
    assertEquals(Unpooled.wrappedBuffer(new byte[] {7, 8, 9}), f.content());
    f.release();
    assertTrue(tail.caught.isEmpty());
    ch.advanceTimeBy(20, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(tail.events.isEmpty(), "no timeout after the upgrade: " + tail.events);
    // Frames the stream writes are masked client frames.
    ch.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})));
    ByteBuf out = ch.readOutbound();
    assertEquals(0x82, out.getUnsignedByte(0));
    assertEquals(0x80 | 1, out.getUnsignedByte(1), "mask bit and length 1");
    out.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void aRefusalCarriesItsStatus() {
    EmbeddedChannel ch = channel(0);
    request(ch);
    ch.writeInbound(ascii("HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\n\r\n{}"));
    assertEquals(1, tail.caught.size());
    UpgradeHandler.Refused r = assertInstanceOf(UpgradeHandler.Refused.class, tail.caught.get(0));
    assertEquals(404, r.status);
    assertTrue(tail.read.isEmpty());
    ch.finishAndReleaseAll();
  }

  @Test
  void aWrongAcceptValueFailsTheHandshake() {
    EmbeddedChannel ch = channel(0);
    request(ch);
    ch.writeInbound(
        ascii(
            "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
                + "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"));
    assertEquals(1, tail.caught.size());
    Throwable t = tail.caught.get(0);
    assertInstanceOf(WebSocketHandshakeException.class, t);
    assertTrue(!(t instanceof UpgradeHandler.Refused));
    assertNotNull(ch.pipeline().get(UpgradeHandler.class));
    ch.finishAndReleaseAll();
  }

  @Test
  void noAnswerWithinTheTimeoutIsAHandshakeTimeout() {
    EmbeddedChannel ch = channel(1000);
    request(ch);
    ch.advanceTimeBy(999, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(tail.events.isEmpty());
    ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertEquals(List.of(ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT), tail.events);
    ch.finishAndReleaseAll();
  }

  @Test
  void anOverlongHeadFails() {
    EmbeddedChannel ch = channel(0);
    request(ch);
    ch.writeInbound(ascii("HTTP/1.1 101 OK\r\nx: " + "a".repeat(UpgradeHandler.MAX_HEAD_BYTES)));
    assertEquals(1, tail.caught.size());
    assertInstanceOf(WebSocketHandshakeException.class, tail.caught.get(0));
    ch.finishAndReleaseAll();
  }

  @Test
  void anAnswerThatIsNotAWebSocketUpgradeFails() {
    // Each a handshake failure, not a refusal with a status (which would end the stream for good).
    String key = "dGhlIHNhbXBsZSBub25jZQ==";
    String accept = UpgradeHandler.acceptFor(key);
    String ok = "sec-websocket-accept: " + accept;
    for (String head :
        List.of(
            "SSH-2.0-OpenSSH_9.2",
            "HTTP/1.1 1x1 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
                + ok,
            "HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\n" + ok,
            "HTTP/1.1 101 Switching Protocols\r\nupgrade: h2c\r\nconnection: upgrade\r\n" + ok,
            "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: close\r\n" + ok,
            "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade")) {
      RuntimeException e = UpgradeHandler.check(head, accept);
      assertInstanceOf(WebSocketHandshakeException.class, e, head);
      assertTrue(!(e instanceof UpgradeHandler.Refused), head);
    }
    assertEquals(
        null,
        UpgradeHandler.check(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: keep-alive,"
                + " Upgrade\r\nSec-WebSocket-Accept: "
                + accept,
            accept));
  }
}
