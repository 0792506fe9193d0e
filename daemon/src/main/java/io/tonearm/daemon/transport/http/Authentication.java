package io.tonearm.daemon.transport.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tonearm.daemon.access.Access;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Reads a request's credentials for {@link Access}: the {@code Authorization} header; for the
 * socket's upgrade also a token offered as the subprotocol {@code tonearm.bearer.<token>} (beside
 * {@code tonearm.v1}, which the daemon selects, so the secret is never echoed) and a one-use {@code
 * ?ticket=}, which {@code GET /stream} takes too.
 */
public final class Authentication {

  /** The subprotocol the daemon selects when a client offers it. */
  public static final String PROTOCOL = "tonearm.v1";

  /** The prefix of a subprotocol that carries a token. */
  public static final String BEARER_PROTOCOL = "tonearm.bearer.";

  private Authentication() {}

  /** The credentials of {@code req}; the socket's forms only when {@code socket}. */
  public static Access.Credentials credentials(HttpRequest req, boolean socket) {
    String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (!socket) {
      return authorization == null
          ? Access.Credentials.NONE
          : new Access.Credentials(authorization, null, null, null);
    }
    String secret = null;
    for (String header : req.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
      for (String p : header.split(",")) {
        String v = p.trim();
        if (v.startsWith(BEARER_PROTOCOL)) {
          secret = v.substring(BEARER_PROTOCOL.length());
        }
      }
    }
    List<String> tickets = new QueryStringDecoder(req.uri()).parameters().get("ticket");
    String ticket = tickets == null || tickets.isEmpty() ? null : tickets.get(0);
    return new Access.Credentials(authorization, secret, ticket, null);
  }

  /**
   * The credentials of a {@code GET /stream}: the {@code Authorization} header or a one-use {@code
   * ?ticket=} (an {@code <audio>} element cannot send headers; the ticket keeps the long-lived
   * secret out of the URL, as for the socket).
   */
  public static Access.Credentials streamCredentials(HttpRequest req) {
    String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    List<String> tickets = new QueryStringDecoder(req.uri()).parameters().get("ticket");
    String ticket = tickets == null || tickets.isEmpty() ? null : tickets.get(0);
    return ticket == null && authorization == null
        ? Access.Credentials.NONE
        : new Access.Credentials(authorization, null, ticket, null);
  }

  /** The remote address of a connection, or null when it has none (embedded channels). */
  public static InetAddress addressOf(Channel ch) {
    return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
  }
}
