package io.tonearm.daemon.transport.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The opening handshake of RFC 6455 section 4.2.1, checked before Netty's upgrade handler sees it:
 * Netty also accepts the drafts' versions 7 and 8, a key of any length and HTTP/1.0, and answers
 * what it refuses with a bare 400 without Content-Length (the client cannot tell where its body
 * ends on a kept-alive connection). Here each refusal is one {@code tonearm.v1.Error}.
 */
final class UpgradeCheck {
  private UpgradeCheck() {}

  static final String VERSION = "13";

  /** The refusal of a request to {@code /ws} that is not a valid handshake, or null. */
  static FullHttpResponse refusal(HttpRequest req) {
    if (!req.method().equals(HttpMethod.GET)) {
      return Replies.methodNotAllowed(
          req.method().name() + " not allowed on /ws: the socket opens with a GET",
          java.util.List.of("GET"),
          false);
    }
    if (!hasToken(req.headers().get(HttpHeaderNames.UPGRADE), "websocket")) {
      // RFC 9110 section 15.5.22: a 426 names the protocol to upgrade to.
      return upgradeRequired("/ws is the event socket: upgrade to websocket (RFC 6455)");
    }
    String version = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    if (!VERSION.equals(version == null ? null : version.trim())) {
      // Section 4.2.2: a version the server does not speak is answered with the ones it does.
      return upgradeRequired(
          "WebSocket version " + version + " is not spoken here; Sec-WebSocket-Version: 13");
    }
    if (!req.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      return badHandshake("a WebSocket handshake is an HTTP/1.1 request");
    }
    if (!hasToken(req.headers().get(HttpHeaderNames.CONNECTION), "upgrade")) {
      return badHandshake("a WebSocket handshake says Connection: Upgrade");
    }
    if (!validKey(req.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
      return badHandshake("Sec-WebSocket-Key must be one base64 value of 16 bytes");
    }
    return null;
  }

  private static FullHttpResponse upgradeRequired(String message) {
    FullHttpResponse r =
        Replies.error(
            HttpResponseStatus.UPGRADE_REQUIRED,
            "upgrade_required",
            message,
            Map.of("version", VERSION),
            false);
    r.headers().set(HttpHeaderNames.UPGRADE, "websocket");
    r.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, VERSION);
    return r;
  }

  private static FullHttpResponse badHandshake(String message) {
    return Replies.error(HttpResponseStatus.BAD_REQUEST, "bad_request", message);
  }

  /** Whether a comma-separated header value holds {@code token}, compared case-insensitively. */
  static boolean hasToken(String value, String token) {
    if (value == null) {
      return false;
    }
    for (String t : value.split(",")) {
      if (t.trim().toLowerCase(Locale.ROOT).equals(token)) {
        return true;
      }
    }
    return false;
  }

  /** Section 4.1: the key is one header, a base64 value that decodes to 16 bytes. */
  private static boolean validKey(java.util.List<String> keys) {
    if (keys.size() != 1) {
      return false;
    }
    String key = keys.get(0).trim();
    if (key.length() != 24) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
