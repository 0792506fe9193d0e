package io.tonearm.daemon.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A request made whole at the decoder is the request the aggregator makes of its parts: both ways
 * are fed the same bytes, cut in the same places, and must hand on the same requests (head, headers
 * in order, body, trailers, decoding result) and write the same replies (413, 100 Continue, 417).
 */
class WholeRequestsTest {

  private static final int MAX_BODY = 1024;

  /** The decoder and aggregator of the daemon's pipeline; whole requests when {@code whole}. */
  private static EmbeddedChannel channel(boolean whole) {
    PacedRequestDecoder decoder =
        new PacedRequestDecoder(
            new HttpDecoderConfig().setMaxHeaderSize(1024).setMaxChunkSize(8192),
            1_000,
            60_000,
            () -> {},
            whole ? MAX_BODY : -1);
    return new EmbeddedChannel(
        new PacedResponseEncoder(decoder), decoder, new HttpObjectAggregator(MAX_BODY, true));
  }

  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
  }

  @Test
  void aSmallPostInOneBufferIsHandedOnWholeWithItsLength() {
    EmbeddedChannel ch = channel(true);
    ch.writeInbound(
        bytes(
            "POST /api/v1/x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /g HTTP/1.1\r\n"));
    FullHttpRequest r = ch.readInbound();
    assertInstanceOf(DefaultFullHttpRequest.class, r, "not the aggregator's");
    assertEquals("abc", r.content().toString(StandardCharsets.ISO_8859_1));
    r.release();
    ch.writeInbound(bytes("Host: a\r\n\r\n"));
    FullHttpRequest g = ch.readInbound();
    assertEquals("0", g.headers().get("content-length"), "as the aggregator sets it");
    g.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void everyRequestIsTheAggregatorsRequest() {
    Random rnd = new Random(13);
    for (int round = 0; round < 1_500; round++) {
      StringBuilder wire = new StringBuilder();
      int n = 1 + rnd.nextInt(6);
      for (int i = 0; i < n; i++) {
        wire.append(request(rnd));
      }
      byte[] all = wire.toString().getBytes(StandardCharsets.ISO_8859_1);
      List<Integer> cuts = new ArrayList<>();
      int at = 0;
      while (at < all.length) {
        int piece = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(40) : all.length;
        at = Math.min(all.length, at + piece);
        cuts.add(at);
      }
      EmbeddedChannel parts = channel(false);
      EmbeddedChannel whole = channel(true);
      List<String> a = run(parts, all, cuts);
      List<String> b = run(whole, all, cuts);
      assertEquals(a, b, "round " + round + ": " + wire);
      finish(parts);
      finish(whole);
    }
  }

  private static void finish(EmbeddedChannel ch) {
    try {
      ch.finishAndReleaseAll();
    } catch (Exception e) {
      // as above: recorded while closing, already compared
    }
  }

  /** Feeds {@code all} cut at {@code cuts}; what came out, inbound and outbound, in order. */
  private static List<String> run(EmbeddedChannel ch, byte[] all, List<Integer> cuts) {
    List<String> seen = new ArrayList<>();
    int from = 0;
    for (int to : cuts) {
      if (!ch.isOpen()) {
        break;
      }
      try {
        ch.writeInbound(Unpooled.wrappedBuffer(all, from, to - from));
        ch.checkException();
      } catch (Exception e) { // a write after the aggregator closed (413): both ways alike
        seen.add("exception " + e.getClass().getSimpleName());
      }
      from = to;
      Object o;
      while ((o = ch.readInbound()) != null) {
        if (o instanceof FullHttpRequest r) {
          seen.add(describe(r));
        } else { // what the aggregator lets through
          seen.add(o.getClass().getName());
          ReferenceCountUtil.release(o);
        }
      }
      while ((o = ch.readOutbound()) != null) {
        ByteBuf b = (ByteBuf) o;
        seen.add(
            "out "
                + b.toString(StandardCharsets.ISO_8859_1)
                    .replaceAll("(?i)date: [^\r]*\r\n", "date: *\r\n"));
        b.release();
      }
    }
    seen.add("open " + ch.isOpen());
    return seen;
  }

  private static String describe(FullHttpRequest r) {
    try {
      return r.method()
          + " "
          + r.uri()
          + " "
          + r.protocolVersion()
          + " "
          + (r.decoderResult().isSuccess() ? "ok" : r.decoderResult().cause().toString())
          + " "
          + entries(r.headers())
          + " body["
          + r.content().toString(StandardCharsets.ISO_8859_1)
          + "] trailers "
          + entries(r.trailingHeaders());
    } finally {
      r.release();
    }
  }

  private static List<String> entries(HttpHeaders h) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : h) {
      out.add(e.getKey() + "=" + e.getValue());
    }
    return out;
  }

  private static final String[] METHODS = {
    "GET", "POST", "POST", "DELETE", "HEAD", "PUT", "OPTIONS"
  };
  private static final String[] TARGETS = {
    "/api/v1/player/volume", "/health", "http://a/api/v1/x?y=1", "/static/app.js", "*", "/a%20b"
  };

  /** A request, mostly well-formed, sometimes not in one of the ways the decoder refuses. */
  private static String request(Random rnd) {
    String method = METHODS[rnd.nextInt(METHODS.length)];
    StringBuilder s = new StringBuilder();
    s.append(method).append(' ').append(TARGETS[rnd.nextInt(TARGETS.length)]);
    s.append(rnd.nextInt(8) == 0 ? " HTTP/1.0" : " HTTP/1.1");
    String eol = rnd.nextInt(20) == 0 ? "\n" : "\r\n";
    s.append(eol).append("Host: a").append(eol);
    if (rnd.nextBoolean()) {
      s.append("Content-Type: application/json").append(eol);
    }
    if (rnd.nextInt(5) == 0) {
      s.append("X-Tonearm-Upload: 7").append(eol).append("x-extra:  v ").append(eol);
    }
    if (rnd.nextInt(6) == 0) {
      s.append("Connection: ").append(rnd.nextBoolean() ? "close" : "keep-alive").append(eol);
    }
    if (rnd.nextInt(10) == 0) {
      s.append("Expect: ").append(rnd.nextBoolean() ? "100-continue" : "x").append(eol);
    }
    switch (rnd.nextInt(25)) {
      case 0 -> s.append("Bad Name: x").append(eol); // 400
      case 1 -> s.append("X-Long: ").append("v".repeat(1100)).append(eol); // 431
      case 2 -> s.append("Content-Length: 1").append(eol); // twice with the one below
      case 3 -> s.append(" folded").append(eol);
      default -> {}
    }
    String body = "{\"volume\":" + rnd.nextInt(1000) + "}";
    int kind = rnd.nextInt(10);
    if (kind == 0) {
      body = "x".repeat(MAX_BODY - 5 + rnd.nextInt(10)); // at and past the 413 bound
    } else if (kind == 1) {
      body = "";
    }
    if (kind == 2) {
      s.append("Transfer-Encoding: chunked").append(eol);
      if (rnd.nextBoolean()) {
        s.append("Content-Length: 4").append(eol); // both: the decoder's smuggling rule
      }
      s.append(eol);
      s.append(Integer.toHexString(body.length())).append("\r\n").append(body).append("\r\n");
      s.append("0\r\n");
      if (rnd.nextBoolean()) {
        s.append("X-Trailer: t\r\n");
      }
      return s.append("\r\n").toString();
    }
    if (kind == 3 && (method.equals("GET") || method.equals("HEAD"))) {
      return s.append(eol).toString(); // no Content-Length at all
    }
    if (kind == 4) {
      s.append("Content-Length: ").append(rnd.nextBoolean() ? "-1" : "+" + body.length());
      return s.append(eol).append(eol).append(body).toString();
    }
    s.append("Content-Length: ").append(body.length()).append(eol).append(eol).append(body);
    return s.toString();
  }

  @Test
  void whatGoesTheAggregatorsWayIsNotMadeWhole() {
    for (String r :
        List.of(
            "PUT /uploads/x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx",
            "POST /p HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx",
            "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
            "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n" + "x".repeat(1025))) {
      EmbeddedChannel ch = channel(true);
      ch.writeInbound(bytes(r));
      Object o = ch.readInbound();
      assertTrue(o == null || !(o instanceof DefaultFullHttpRequest), r);
      if (o != null) {
        ((FullHttpRequest) o).release();
      }
      ch.finishAndReleaseAll();
    }
  }
}
