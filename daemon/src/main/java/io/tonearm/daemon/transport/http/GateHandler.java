package io.tonearm.daemon.transport.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.tonearm.daemon.access.Access;
import io.tonearm.daemon.access.Principal;
import io.tonearm.daemon.access.Scope;
import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.events.ZoneId;
import io.tonearm.daemon.transport.ws.TokenSockets;
import io.tonearm.daemon.transport.ws.WsHandler;
import io.tonearm.daemon.transport.ws.WsUrl;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns away what must not go further, before the WebSocket upgrade and before any handler: a
 * request the decoder could not parse (400), a Host the daemon does not answer to (421), a browser
 * origin that is not allowed (403), a state-changing API request whose body is not JSON or protobuf
 * (415, see {@link BodyTypes}), a {@code /ws} request that is not an RFC 6455 handshake (405, 426,
 * 400; see {@link UpgradeCheck}), a malformed {@code /ws} URL (400), a socket upgrade without a
 * principal that may read (401/403/429, see {@link Access}). Answers CORS preflights.
 */
@Sharable
public final class GateHandler extends ChannelInboundHandlerAdapter {

  private final OriginPolicy origins;
  private final HostNames hosts;
  private final Access access;
  private final TokenSockets sockets;
  private final Predicate<String> zoneExists;
  private final io.tonearm.daemon.transport.ws.Availability availability;
  private final io.tonearm.daemon.transport.ws.SocketAdmission admission;

  /** A gate that lets every socket upgrade through unauthenticated (tests of the other checks). */
  public GateHandler(OriginPolicy origins, HostNames hosts) {
    this(origins, hosts, null, null, ZoneId.DEFAULT::equals);
  }

  /**
   * @param access authenticates socket upgrades (they need scope read); null for none
   * @param sockets caps and tracks each token's sockets; null with {@code access}
   * @param zoneExists whether a zone id names a zone now (a socket follows one zone)
   */
  public GateHandler(
      OriginPolicy origins,
      HostNames hosts,
      Access access,
      TokenSockets sockets,
      Predicate<String> zoneExists) {
    this(
        origins,
        hosts,
        access,
        sockets,
        zoneExists,
        io.tonearm.daemon.transport.ws.Availability.ALWAYS,
        null);
  }

  /**
   * @param availability refuses socket upgrades with 503 {@code unavailable} while it says why (a
   *     relay without Redis)
   * @param admission decides socket upgrades asynchronously (a relay asks the origin); null to
   *     decide with {@code access} in place
   */
  public GateHandler(
      OriginPolicy origins,
      HostNames hosts,
      Access access,
      TokenSockets sockets,
      Predicate<String> zoneExists,
      io.tonearm.daemon.transport.ws.Availability availability,
      io.tonearm.daemon.transport.ws.SocketAdmission admission) {
    this.admission = admission;
    this.origins = origins;
    this.hosts = hosts;
    this.access = access;
    this.sockets = sockets;
    this.zoneExists = zoneExists;
    this.availability = availability;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ctx.fireChannelRead(msg);
      return;
    }
    // An upload turned away before its body (UploadHandler) arrives bodiless with its length.
    int bytes =
        Math.max(
            req.content().readableBytes(), (int) Math.min(1, HttpUtil.getContentLength(req, 0L)));
    FullHttpResponse refusal = check(req, bytes, ctx.channel());
    if (refusal == null) {
      if (admission != null && new QueryStringDecoder(req.uri()).path().equals("/ws")) {
        admitLater(ctx, req);
        return;
      }
      pass(ctx, req);
      return;
    }
    refuse(ctx, req, refusal);
  }

  /**
   * Passes an admitted request on; a socket request only when it is an RFC 6455 handshake. That is
   * checked last, so that a plain {@code GET /ws} learns of its URL, token, zone and the relay's
   * state first; a refusal then ends the connection, as the socket's admission (its token's socket
   * count) is undone when the connection closes.
   */
  private void pass(ChannelHandlerContext ctx, FullHttpRequest req) {
    FullHttpResponse notHandshake =
        new QueryStringDecoder(req.uri()).path().equals("/ws") ? UpgradeCheck.refusal(req) : null;
    if (notHandshake == null) {
      ctx.fireChannelRead(req);
      return;
    }
    HttpUtil.setKeepAlive(notHandshake, false);
    req.release();
    ctx.writeAndFlush(notHandshake).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Asks the {@link #admission} about a socket upgrade, reading nothing more from the connection
   * meanwhile; then passes the upgrade on as its principal, or answers the refusal.
   */
  private void admitLater(ChannelHandlerContext ctx, FullHttpRequest req) {
    Channel ch = ctx.channel();
    ch.config().setAutoRead(false);
    java.util.concurrent.CompletionStage<Principal> decided;
    try {
      decided =
          admission.admit(
              Authentication.credentials(req, true),
              Authentication.addressOf(ch),
              WsUrl.zone(req.uri()));
    } catch (RuntimeException e) {
      decided = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    decided.whenComplete(
        (p, err) ->
            ctx.executor()
                .execute(
                    () -> {
                      ch.config().setAutoRead(true);
                      FullHttpResponse refusal =
                          err != null ? refusalOf(err) : admitted(req, p, ch);
                      if (refusal == null) {
                        pass(ctx, req);
                      } else {
                        refuse(ctx, req, refusal);
                      }
                    }));
  }

  private static FullHttpResponse refusalOf(Throwable err) {
    Throwable t =
        err instanceof java.util.concurrent.CompletionException && err.getCause() != null
            ? err.getCause()
            : err;
    if (t instanceof DomainException e) {
      return Replies.refusal(
          ApiException.statusOf(e.kind()), e.code(), e.getMessage(), e.details(), false);
    }
    return Replies.error(
        HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "cannot admit the socket: " + t);
  }

  private void refuse(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse refusal) {
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

  /**
   * The refusal this gate would give an upload's head ({@link UploadHandler}) before its body is
   * read, or null when it passes: the same checks as for any request, with the declared body length
   * ({@code -1} for a chunked body, which counts as one that is not empty).
   */
  FullHttpResponse refusal(HttpRequest req, long declaredBytes, Channel channel) {
    int bytes = declaredBytes < 0 ? 1 : (int) Math.min(Integer.MAX_VALUE, declaredBytes);
    return check(req, bytes, channel);
  }

  private FullHttpResponse check(HttpRequest req, int bodyBytes, Channel channel) {
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
    java.util.List<String> hostFields = req.headers().getAll(HttpHeaderNames.HOST);
    if (hostFields.size() > 1
        || (hostFields.isEmpty() && version.equals(HttpVersion.HTTP_1_1))
        || (hostFields.size() == 1 && hostFields.get(0).contains(","))) {
      // RFC 9112 section 3.2: an HTTP/1.1 request without Host, or any with more than one, is a
      // 400 (two names would let one check pass on one name and a proxy route by the other).
      return Replies.error(
          HttpResponseStatus.BAD_REQUEST,
          "bad_request",
          "an HTTP/1.1 request has exactly one Host header (RFC 9112 section 3.2)",
          Map.of("hosts", Integer.toString(hostFields.size())),
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
    String path0 = new QueryStringDecoder(req.uri()).path();
    String badType =
        BodyTypes.refusal(
            req.method(), path0, req.headers().get(HttpHeaderNames.CONTENT_TYPE), bodyBytes);
    if (badType != null) {
      return Replies.error(
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported_media_type",
          badType,
          Map.of("content_type", String.valueOf(req.headers().get(HttpHeaderNames.CONTENT_TYPE))),
          false);
    }
    if (req.method().equals(HttpMethod.OPTIONS) && origin != null) {
      FullHttpResponse r = Replies.bytes(HttpResponseStatus.NO_CONTENT, "text/plain", new byte[0]);
      Cors.allow(r, origin);
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, DELETE");
      r.headers()
          .set(
              HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
              "authorization, content-type, accept, if-none-match");
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
      return r;
    }
    String path = new QueryStringDecoder(req.uri()).path();
    if (!path.equals("/ws") && WsUrl.upgradable(req.uri())) {
      // /ws/x would reach the upgrade handler past every check below: no such socket.
      return Replies.error(
          HttpResponseStatus.NOT_FOUND,
          "not_found",
          "no such path: " + path + " (the socket is /ws)");
    }
    if (path.equals("/ws")) {
      try {
        WsUrl.check(req.uri());
      } catch (IllegalArgumentException e) {
        return Replies.error(HttpResponseStatus.BAD_REQUEST, "bad_request", e.getMessage());
      }
      String why = availability.unavailable();
      if (why != null) {
        return Replies.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", why);
      }
      if (access != null && req instanceof FullHttpRequest full) {
        return admitSocket(full, channel);
      }
      if (admission != null) {
        return null; // the admission (a relay's: the origin's answer) comes first, then the zone
      }
      return chooseZone(req, Principal.LOOPBACK, channel);
    }
    return null;
  }

  /**
   * Picks the zone the socket follows ({@code ?zone=}, else the principal's, see {@link
   * Principal#zoneFor}) and hands it to the {@link WsHandler}; null when it may, else the refusal
   * (403 {@code zone_forbidden}, 400 {@code zone_required}, 404 {@code zone_not_found}).
   */
  private FullHttpResponse chooseZone(HttpRequest req, Principal p, Channel channel) {
    String zone;
    try {
      zone = p.zoneFor(WsUrl.zone(req.uri()));
      if (!zoneExists.test(zone)) {
        throw DomainException.zoneNotFound(zone);
      }
    } catch (DomainException e) {
      return Replies.refusal(
          ApiException.statusOf(e.kind()), e.code(), e.getMessage(), e.details(), false);
    }
    channel.attr(WsHandler.ZONE).set(zone);
    return null;
  }

  /**
   * Authenticates a socket upgrade (scope read), counts it toward its token's cap and hands its
   * principal to the {@link WsHandler}; null when admitted, else the refusal.
   */
  private FullHttpResponse admitSocket(FullHttpRequest req, Channel channel) {
    Principal p;
    try {
      p =
          access.authenticate(
              Authentication.credentials(req, true), Authentication.addressOf(channel));
      p.require(Scope.READ, "the event socket");
    } catch (DomainException e) {
      return Replies.refusal(
          ApiException.statusOf(e.kind()), e.code(), e.getMessage(), e.details(), false);
    }
    return admitted(req, p, channel);
  }

  /** The zone and the token's socket cap of an admitted principal: null when it may go on. */
  private FullHttpResponse admitted(FullHttpRequest req, Principal p, Channel channel) {
    FullHttpResponse noZone = chooseZone(req, p, channel);
    if (noZone != null) {
      return noZone;
    }
    if (!p.trusted() && !sockets.reserve(p.tokenId(), channel)) {
      return Replies.refusal(
          429,
          "too_many_sockets",
          p.label()
              + " has "
              + sockets.maxPerToken()
              + " sockets open already (--max-sockets-per-token)",
          Map.of("max", Integer.toString(sockets.maxPerToken())),
          false);
    }
    channel.attr(WsHandler.PRINCIPAL).set(p);
    return null;
  }
}
