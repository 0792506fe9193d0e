package io.tonearm.daemon.transport.http;

import com.google.protobuf.Message;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.proto.v1.Error;
import java.util.Map;

/** Builds the daemon's HTTP responses: protobuf messages in JSON or binary, and errors. */
public final class Replies {

  public static final String PROTOBUF = "application/x-protobuf";
  public static final String JSON = "application/json; charset=utf-8";

  private Replies() {}

  /** A message as protobuf's JSON mapping (proto field names) or as binary protobuf. */
  public static FullHttpResponse message(HttpResponseStatus status, Message m, boolean protobuf) {
    byte[] body = protobuf ? m.toByteArray() : EncodedEvent.jsonBytes(m);
    return bytes(status, protobuf ? PROTOBUF : JSON, body);
  }

  /** A structured error, in the format the client asked for. */
  public static FullHttpResponse error(
      HttpResponseStatus status,
      String code,
      String message,
      Map<String, String> details,
      boolean protobuf) {
    Error e = Error.newBuilder().setCode(code).setMessage(message).putAllDetails(details).build();
    return message(status, e, protobuf);
  }

  /**
   * A refusal as an error reply, with {@code WWW-Authenticate} on a 401 (RFC 6750) and {@code
   * Retry-After} (whole seconds, rounded up) when the details carry {@code retry_after_ms}.
   */
  public static FullHttpResponse refusal(
      int status, String code, String message, Map<String, String> details, boolean protobuf) {
    FullHttpResponse r =
        error(HttpResponseStatus.valueOf(status), code, message, details, protobuf);
    if (status == 401) {
      r.headers()
          .set(
              HttpHeaderNames.WWW_AUTHENTICATE,
              code.equals("token_missing")
                  ? "Bearer realm=\"tonearm\""
                  : "Bearer realm=\"tonearm\", error=\"invalid_token\"");
    }
    String retryMs = details.get("retry_after_ms");
    if (retryMs != null) {
      r.headers().set(HttpHeaderNames.RETRY_AFTER, (Long.parseLong(retryMs) + 999) / 1000);
    }
    return r;
  }

  /**
   * 405 {@code method_not_allowed} with the {@code Allow} header RFC 9110 section 15.5.6 requires
   * (the methods the target does take), also as the error's {@code allow} detail.
   */
  public static FullHttpResponse methodNotAllowed(
      String message, java.util.List<String> allowed, boolean protobuf) {
    String allow = String.join(", ", allowed);
    FullHttpResponse r =
        error(
            HttpResponseStatus.METHOD_NOT_ALLOWED,
            "method_not_allowed",
            message,
            Map.of("allow", allow),
            protobuf);
    r.headers().set(HttpHeaderNames.ALLOW, allow);
    return r;
  }

  public static FullHttpResponse error(HttpResponseStatus status, String code, String message) {
    return error(status, code, message, Map.of(), false);
  }

  /**
   * A 304 with no body and neither Content-Length nor Content-Type: RFC 9110 section 8.6 allows a
   * Content-Length on a 304 only when it is the length the 200 would have, and the caller adds the
   * validators and caching headers the 200 would carry.
   */
  public static FullHttpResponse notModified() {
    return new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
  }

  public static FullHttpResponse bytes(HttpResponseStatus status, String type, byte[] body) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return r;
  }
}
