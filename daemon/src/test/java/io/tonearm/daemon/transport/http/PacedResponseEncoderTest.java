package io.tonearm.daemon.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PacedResponseEncoder#writeReply} writes the bytes a reply written through the pipeline
 * gets, and keeps the same books (HEAD, close after the reply, requests answered): two connections
 * are given the same requests and the same replies, one each way.
 */
class PacedResponseEncoderTest {

  private static final class Connection {
    final PacedRequestDecoder decoder =
        new PacedRequestDecoder(new HttpDecoderConfig(), 1_000, 60_000, () -> {}, 4096);
    final PacedResponseEncoder encoder = new PacedResponseEncoder(decoder, true);
    final EmbeddedChannel ch =
        new EmbeddedChannel(encoder, decoder, new HttpObjectAggregator(1 << 16));

    boolean failed; // a request the decoder refused: it reads nothing more (the gate closes)

    void request(String wire) {
      ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
      FullHttpRequest r;
      while ((r = ch.readInbound()) != null) {
        failed |= r.decoderResult().isFailure();
        r.release();
      }
    }

    String written() {
      StringBuilder sb = new StringBuilder();
      ByteBuf b;
      while ((b = ch.readOutbound()) != null) {
        sb.append(b.toString(StandardCharsets.ISO_8859_1));
        b.release();
      }
      ch.runPendingTasks();
      // Set at the write when a reply has none: the two writes may fall in different seconds.
      return sb.toString().replaceAll("date: [^\r]*\r\n", "date: *\r\n");
    }

    String state() {
      return "unanswered " + decoder.unanswered() + ", open " + ch.isOpen();
    }
  }

  private static final int[] STATUSES = {
    200, 200, 201, 204, 205, 206, 301, 304, 400, 401, 404, 405, 408, 413, 415, 421, 429, 500, 503
  };
  private static final int[] SIZES = {0, 1, 17, 127, 128, 129, 300, 2000, 16_100, 16_384, 70_000};
  private static final HttpResponseStatus[] ODD_STATUSES = {
    new HttpResponseStatus(299, "Odd Phrase"),
    new HttpResponseStatus(470, "Ung\u00fcltig"),
    new HttpResponseStatus(471, "\u0141ost"), // a low byte that is ASCII
    new HttpResponseStatus(250, "")
  };
  private static final String[] ODD_VALUES = {
    "caf\u00e9", "\u20ac 5", "\u0141odz", "plain", "", "a\tb", "x".repeat(300)
  };

  private static FullHttpResponse reply(long seed) {
    Random rnd = new Random(seed);
    int size = SIZES[rnd.nextInt(SIZES.length)];
    byte[] body = new byte[size];
    for (int i = 0; i < size; i++) {
      body[i] = (byte) ('a' + rnd.nextInt(26));
    }
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            rnd.nextInt(10) == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1,
            rnd.nextInt(8) == 0
                ? ODD_STATUSES[rnd.nextInt(ODD_STATUSES.length)]
                : HttpResponseStatus.valueOf(STATUSES[rnd.nextInt(STATUSES.length)]),
            rnd.nextBoolean()
                ? Unpooled.wrappedBuffer(body)
                : Unpooled.directBuffer(size).writeBytes(body));
    if (rnd.nextInt(4) != 0) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
    }
    if (rnd.nextInt(5) != 0) {
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, size);
    }
    if (rnd.nextInt(3) == 0) {
      r.headers().set(HttpHeaderNames.DATE, "Sun, 06 Dec 2026 03:00:00 GMT");
    }
    if (rnd.nextInt(4) == 0) {
      r.headers().set(HttpHeaderNames.ETAG, "\"" + rnd.nextInt() + "\"");
      r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "http://a.example");
    }
    if (rnd.nextInt(8) == 0) {
      r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, rnd.nextBoolean() ? "chunked" : "gzip");
    }
    if (rnd.nextInt(3)
        == 0) { // repeated names, values of every kind, names as String and AsciiString
      for (int i = rnd.nextInt(4); i >= 0; i--) {
        r.headers().add(rnd.nextBoolean() ? "X-Odd" : "vary", ODD_VALUES[rnd.nextInt(7)]);
      }
      r.headers().add(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
    }
    int keep = rnd.nextInt(3);
    if (keep < 2) {
      HttpUtil.setKeepAlive(r, keep == 0);
    }
    return r;
  }

  private static String request(Random rnd) {
    String method = rnd.nextInt(4) == 0 ? "HEAD" : rnd.nextBoolean() ? "GET" : "POST";
    String version = rnd.nextInt(6) == 0 ? "HTTP/1.0" : "HTTP/1.1";
    String body = method.equals("POST") ? "{\"volume\":" + rnd.nextInt(100) + "}" : "";
    if (rnd.nextInt(15) == 0) { // chunked and a length: the reply ends the connection
      return method
          + " /api/v1/x "
          + version
          + "\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "1\r\nx\r\n0\r\n\r\n";
    }
    return method
        + " /api/v1/x "
        + version
        + "\r\nHost: a\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  @Test
  void writeReplyWritesWhatThePipelineWrites() {
    Random rnd = new Random(6);
    int compared = 0;
    while (compared < 4_000) {
      Connection piped = new Connection();
      Connection direct = new Connection();
      while (piped.ch.isOpen() && !piped.failed && compared < 4_000) {
        int pipelined = 1 + rnd.nextInt(3);
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < pipelined; i++) {
          wire.append(request(rnd));
        }
        piped.request(wire.toString());
        direct.request(wire.toString());
        for (int i = 0; i < pipelined && piped.ch.isOpen(); i++) {
          long seed = rnd.nextLong();
          piped.ch.writeAndFlush(reply(seed));
          ChannelFuture f = direct.encoder.writeReply(reply(seed));
          assertNotNull(f, "a final reply between replies is written");
          String a = piped.written();
          assertEquals(a, direct.written(), "reply " + compared + " to " + wire);
          assertEquals(piped.state(), direct.state());
          compared++;
        }
      }
      piped.ch.finishAndReleaseAll();
      direct.ch.finishAndReleaseAll();
    }
  }

  @Test
  void aStreamedReplyBeingWrittenOrAnInterimOneTakesThePipeline() {
    Connection c = new Connection();
    c.request("GET /stream HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n");
    FullHttpResponse interim =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE);
    assertNull(c.encoder.writeReply(interim));
    interim.release();
    c.ch.writeAndFlush(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    FullHttpResponse late = reply(1);
    assertNull(c.encoder.writeReply(late), "the stream's reply is not complete");
    late.release();
    c.ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    assertEquals("unanswered 1, open true", c.state());
    ChannelFuture f = c.encoder.writeReply(reply(2));
    assertNotNull(f);
    assertTrue(f.isSuccess());
    assertFalse(c.written().isEmpty());
    c.ch.finishAndReleaseAll();
  }
}
