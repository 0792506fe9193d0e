package io.tonearm.daemon.transport.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Locale;

/**
 * The absolute form of a request target ({@code GET http://host:7700/health HTTP/1.1}), which RFC
 * 9112 section 3.2.2 says a server must accept though clients send it only to proxies: it becomes
 * the origin form ({@code /health}) and its authority replaces the {@code Host} header, as that
 * section requires, so that every handler after the decoder sees one shape and the Host checks
 * judge the name actually asked for.
 */
final class RequestTargets {
  private RequestTargets() {}

  static void toOriginForm(HttpRequest req) {
    String uri = req.uri();
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd <= 0 || uri.startsWith("/")) {
      return;
    }
    String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return;
    }
    int authorityStart = schemeEnd + 3;
    int pathStart = authorityStart;
    while (pathStart < uri.length() && "/?#".indexOf(uri.charAt(pathStart)) < 0) {
      pathStart++;
    }
    String authority = uri.substring(authorityStart, pathStart);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1); // userinfo is deprecated and never a host
    }
    String rest = uri.substring(pathStart);
    req.setUri(rest.startsWith("/") ? rest : "/" + rest);
    req.headers().set(HttpHeaderNames.HOST, authority);
  }
}
