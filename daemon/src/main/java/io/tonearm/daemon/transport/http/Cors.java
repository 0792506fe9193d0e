package io.tonearm.daemon.transport.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;

/** CORS response headers for an origin the {@link OriginPolicy} allowed. */
final class Cors {
  private Cors() {}

  static void allow(HttpResponse r, String origin) {
    if (origin != null) {
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      r.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "etag");
    }
  }
}
