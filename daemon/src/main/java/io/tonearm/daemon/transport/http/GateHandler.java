package io.tonearm.daemon.transport.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.tonearm.daemon.transport.ws.WsUrl;
import java.util.Map;

/**
 * Turns away what must not go further, before the WebSocket upgrade and before any handler: a
 * request the decoder could not parse (400), a Host the daemon does not answer to (421), a browser
 * origin that is not allowed (403), a malformed {@code /ws} URL (400). Answers CORS preflights.
 */
@Sharable
public final class GateHandler extends ChannelInboundHandlerAdapter {

  private final OriginPolicy origins;
  private final HostNames hosts;

  public GateHandler(OriginPolicy origins, HostNames hosts) {
    this.origins = origins;
    this.hosts = hosts;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ctx.fireChannelRead(msg);
      return;
    }
    FullHttpResponse refusal = check(req);
    if (refusal == null) {
      ctx.fireChannelRead(req);
      return;
    }
    boolean keepAlive =
        HttpUtil.isKeepAlive(req)
            && req.decoderResult().isSuccess()
            && !refusal.status().equals(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED);
    req.release();
    HttpUtil.setKeepAlive(refusal, keepAlive);
    var f = ctx.writeAndFlush(refusal);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private FullHttpResponse check(FullHttpRequest req) {
    if (!req.decoderResult().isSuccess()) {
      Throwable cause = req.decoderResult().cause();
      HttpResponseStatus status =
          cause instanceof TooLongHttpHeaderException
              ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
              : cause instanceof TooLongHttpLineException
                  ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                  : HttpResponseStatus.BAD_REQUEST;
      return Replies.error(
          status,
          "bad_request",
          "malformed HTTP request: " + req.decoderResult().cause().getMessage());
    }
    HttpVersion version = req.protocolVersion();
    if (!version.equals(HttpVersion.HTTP_1_1) && !version.equals(HttpVersion.HTTP_1_0)) {
      return Replies.error(
          HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
          "http_version_not_supported",
          "this daemon speaks HTTP/1.0 and HTTP/1.1, not " + version.text(),
          Map.of("version", version.text()),
          false);
    }
    String host = req.headers().get(HttpHeaderNames.HOST);
    if (!hosts.allows(host)) {
      return Replies.error(
          HttpResponseStatus.MISDIRECTED_REQUEST,
          "host_not_allowed",
          "this daemon does not answer to host '"
              + HostNames.hostOf(host)
              + "' (a guard against DNS rebinding); start it with --allow-host "
              + HostNames.hostOf(host)
              + " to allow that name",
          Map.of("host", host),
          false);
    }
    String origin = req.headers().get(HttpHeaderNames.ORIGIN);
    if (!origins.allows(origin, host)) {
      return Replies.error(
          HttpResponseStatus.FORBIDDEN,
          "origin_not_allowed",
          "origin not allowed: " + origin,
          Map.of("origin", origin),
          false);
    }
    if (req.method().equals(HttpMethod.OPTIONS) && origin != null) {
      FullHttpResponse r = Replies.bytes(HttpResponseStatus.NO_CONTENT, "text/plain", new byte[0]);
      Cors.allow(r, origin);
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, DELETE");
      r.headers()
          .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "content-type, accept, if-none-match");
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
      return r;
    }
    String path = new QueryStringDecoder(req.uri()).path();
    if (path.equals("/ws")) {
      try {
        WsUrl.check(req.uri());
      } catch (IllegalArgumentException e) {
        return Replies.error(HttpResponseStatus.BAD_REQUEST, "bad_request", e.getMessage());
      }
    }
    return null;
  }
}
