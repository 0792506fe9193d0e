package io.tonearm.daemon.transport.http;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A small request made whole at the decoder when its body is already in the read buffer: the common
 * API request (a head and a short JSON body in one segment) then passes the upload handler and the
 * aggregator as one message instead of two, and the aggregator has nothing to join. It is the
 * request {@code HttpObjectAggregator} would have made of the same parts: the same head and
 * headers, the body's bytes, its trailers, and {@code Content-Length} set when it was absent.
 *
 * <p>Only a request the aggregator would take without a word: decoded without error, a {@code
 * Content-Length} (or none: no body) within the bound, no {@code Transfer-Encoding} (chunked bodies
 * and their checks stay the decoder's and the aggregator's), no {@code Expect} (100-continue and
 * 417 are the aggregator's), and not a PUT (uploads are streamed to a file by {@link
 * UploadHandler}).
 */
final class WholeRequests {

  private WholeRequests() {}

  /**
   * The body's length when {@code r} may be made whole with a body of at most {@code max}, else -1.
   */
  static long bodyLength(HttpRequest r, int max) {
    if (max < 0 || r.method().equals(HttpMethod.PUT)) {
      return -1;
    }
    HttpHeaders h = r.headers();
    if (h.contains(HttpHeaderNames.TRANSFER_ENCODING) || h.contains(HttpHeaderNames.EXPECT)) {
      return -1;
    }
    String length = h.get(HttpHeaderNames.CONTENT_LENGTH);
    if (length == null) {
      return 0; // RFC 9112 section 6.3: a request with neither has no body
    }
    long n;
    try {
      n = Long.parseLong(length);
    } catch (NumberFormatException e) {
      return -1;
    }
    return n >= 0 && n <= max ? n : -1;
  }

  /** The whole request of {@code head} and its body, which it takes over. */
  static FullHttpRequest join(HttpRequest head, LastHttpContent body) {
    FullHttpRequest full =
        new DefaultFullHttpRequest(
            head.protocolVersion(),
            head.method(),
            head.uri(),
            body.content(),
            head.headers(),
            body.trailingHeaders());
    if (!HttpUtil.isContentLengthSet(full)) { // as the aggregator's finishAggregation
      full.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, full.content().readableBytes());
    }
    return full;
  }
}
