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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacedRequestDecoderTest {

  private final AtomicInteger cut = new AtomicInteger();
  private final PacedRequestDecoder decoder =
      new PacedRequestDecoder(new HttpDecoderConfig(), 2, 60_000, cut::incrementAndGet);
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

  private void after(long seconds) {
    ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
  }

  /** The status of the decoder's own reply (it writes before the encoder here), or 0 for none. */
  private int cutReply() {
    FullHttpResponse r = ch.readOutbound();
    if (r == null) {
      return 0;
    }
    r.release();
    return r.status().code();
  }

  @Test
  void aHeadNotReadWithinTheTimeoutGets408AndTheConnectionCloses() {
    ch.freezeTime();
    ch.writeInbound(bytes("GET /slow HTTP/1.1\r\nHo"));
    after(59);
    assertEquals(0, cutReply());
    assertTrue(ch.isActive());
    after(2);
    assertEquals(408, cutReply());
    assertFalse(ch.isActive());
    assertEquals(1, cut.get());
  }

  @Test
  void aHeadIsTimedFromItsOwnFirstByteNotAnEarlierRequests() {
    ch.freezeTime();
    ch.writeInbound(bytes(get("/1")));
    assertEquals("/1", nextPath());
    reply("a");
    written();
    after(50);
    ch.writeInbound(bytes("GET /2 HTTP/1.1\r\n")); // its head began at 50 s: due at 110 s
    after(15);
    assertEquals(0, cutReply(), "65 s after the first request, 15 s into the second's head");
    assertTrue(ch.isActive());
    ch.writeInbound(bytes("Host: x\r\n\r\n"));
    assertEquals("/2", nextPath());
    reply("b");
    written();
    after(100);
    assertTrue(ch.isActive(), "an idle keep-alive connection is not the head timer's to close");
    ch.writeInbound(bytes("GET /3 HTTP/1.1\r\n")); // began at 165 s: due at 225 s
    after(59);
    assertEquals(0, cutReply());
    after(2);
    assertEquals(408, cutReply());
    assertEquals(1, cut.get());
  }
}
