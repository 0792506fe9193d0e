package io.tonearm.daemon.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacedRequestDecoderTest {

  private final PacedRequestDecoder decoder =
      new PacedRequestDecoder(new HttpDecoderConfig(), 2, 60_000, () -> {});
  private final EmbeddedChannel ch =
      new EmbeddedChannel(
          decoder, new PacedResponseEncoder(decoder), new HttpObjectAggregator(1 << 16));

  @AfterEach
  void releaseWhatNoCaseRead() {
    ch.finishAndReleaseAll(); // the encoded replies a case did not read (Netty's leak detector)
  }

  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }

  private String nextPath() {
    FullHttpRequest r = ch.readInbound();
    if (r == null) {
      return null;
    }
    r.release();
    return r.uri();
  }

  private void reply(String body) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, bytes(body));
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
    ch.writeOutbound(r);
    ch.runPendingTasks();
  }

  private String written() {
    StringBuilder sb = new StringBuilder();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      sb.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return sb.toString();
  }

  @Test
  void decodesNoMoreThanTheLimitUntilRepliesAreWritten() {
    ch.writeInbound(bytes(get("/1") + get("/2") + get("/3") + get("/4") + get("/5")));
    assertEquals("/1", nextPath());
    assertEquals("/2", nextPath());
    assertNull(nextPath(), "the third waits in the decoder");
    assertFalse(ch.config().isAutoRead(), "the socket is not read while two wait");
    reply("a");
    assertEquals("/3", nextPath());
    assertNull(nextPath());
    reply("b");
    reply("c");
    assertEquals("/4", nextPath());
    assertEquals("/5", nextPath());
    assertTrue(ch.config().isAutoRead(), "reading again once the bytes held are decoded");
    reply("d");
    reply("e");
    assertEquals(0, decoder.unanswered());
  }

  @Test
  void pausesBetweenRequestsNeverInsideABody() {
    String post = "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n";
    ch.writeInbound(bytes(get("/1") + post + "ab"));
    assertEquals("/1", nextPath());
    assertNull(nextPath());
    ch.writeInbound(bytes("cde" + get("/3")));
    assertEquals("/p", nextPath(), "the second request's body is read although two wait");
    assertNull(nextPath());
    reply("x");
    assertEquals("/3", nextPath());
  }

  @Test
  void replyToHeadHasNoBodyAndInterimRepliesDoNotCount() {
    ch.writeInbound(bytes("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n" + get("/g") + get("/3")));
    assertEquals("/h", nextPath());
    assertEquals("/g", nextPath());
    ch.writeOutbound(
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    ch.runPendingTasks();
    assertNull(nextPath(), "a 100 Continue answers nothing");
    written();
    reply("hello");
    String head = written();
    assertTrue(head.contains("content-length: 5"), head);
    assertFalse(head.contains("hello"), "no body after a HEAD: " + head);
    assertEquals("/3", nextPath());
    reply("hello");
    assertTrue(written().endsWith("hello"));
  }
}
