package io.tonearm.daemon.transport.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.tonearm.daemon.access.Caller;
import io.tonearm.daemon.access.Principal;
import io.tonearm.daemon.access.Scope;
import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiRequest;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.api.EntityTags;
import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.events.WakeHold;
import io.tonearm.daemon.output.HttpStreamOutput;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers HTTP requests in the order they arrived on the connection (HTTP/1.1 pipelining), one at a
 * time. How many may wait is bounded before this handler, by the {@link PacedRequestDecoder}.
 * Routes: {@code /api/v1/...} through the {@link Router}, {@code /health}, {@code /metrics}, and
 * static files for everything else.
 */
public final class HttpDispatchHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(HttpDispatchHandler.class);

  /** The longest a reply's unfinished write holds its command's fan-out (see fanOutAfter). */
  static final long REPLY_HOLD_MAX_MS = 2;

  private final HttpContext http;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
  private boolean busy;
  private String peer; // "http:" and the peer's address, made once: a TCP peer does not change
  private PacedResponseEncoder encoder; // null when the pipeline has none (tests)

  public HttpDispatchHandler(HttpContext http) {
    this.http = http;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    encoder = ctx.pipeline().get(PacedResponseEncoder.class);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    waiting.add(req); // at most --max-pipelined: the decoder stops there (PacedRequestDecoder)
    if (!busy) {
      next(ctx);
    }
  }

  private void next(ChannelHandlerContext ctx) {
    FullHttpRequest req = waiting.poll();
    if (req == null) {
      busy = false;
      return;
    }
    busy = true;
    QueryStringDecoder target = new QueryStringDecoder(req.uri()); // decoded once per request
    String streamPath = target.path();
    boolean head = req.method().equals(HttpMethod.HEAD);
    if (http.stream() != null
        && (req.method().equals(HttpMethod.GET) || head)
        && StreamChoice.handles(streamPath)) {
      String origin = req.headers().get(HttpHeaderNames.ORIGIN);
      StreamChoice choice = StreamChoice.of(streamPath, req.headers().get(HttpHeaderNames.ACCEPT));
      FullHttpResponse refused = null;
      HttpStreamOutput zoneStream = null;
      try {
        Principal who = streamCaller(req, ctx).principal();
        who.require(Scope.READ, "the audio stream");
        List<String> named = new QueryStringDecoder(req.uri()).parameters().get("zone");
        String zone = who.zoneFor(named == null || named.isEmpty() ? null : named.get(0));
        zoneStream = http.zoneStreams().apply(zone);
        if (zoneStream == null) {
          throw DomainException.zoneNotFound(zone);
        }
      } catch (DomainException e) {
        refused = failure(e, false);
      }
      req.release();
      waiting.forEach(FullHttpRequest::release); // the connection ends with the stream
      waiting.clear();
      if (refused != null) {
        Cors.allow(refused, origin);
        HttpUtil.setKeepAlive(refused, false); // the stream path always ends the connection
        ctx.writeAndFlush(refused).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (!choice.available()) {
        ctx.writeAndFlush(
                Replies.error(
                    HttpResponseStatus.NOT_ACCEPTABLE,
                    "not_acceptable",
                    "no stream in that format; available: "
                        + String.join(", ", StreamChoice.availableNames())
                        + " (GET /stream/<format>, or /stream with Accept: audio/wav)",
                    Map.of("available", String.join(",", StreamChoice.availableNames())),
                    false))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (head) {
        AudioStreamResponder.answerHead(ctx.channel(), zoneStream, origin, choice);
        return;
      }
      if (!AudioStreamResponder.start(ctx.channel(), zoneStream, origin, choice)) {
        ctx.writeAndFlush(
                Replies.error(
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too_many_listeners",
                    "the audio stream has " + HttpStreamOutput.MAX_CLIENTS + " listeners already"))
            .addListener(ChannelFutureListener.CLOSE);
      }
      return;
    }
    long started = System.nanoTime();
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    String origin = req.headers().get(HttpHeaderNames.ORIGIN);
    boolean protobuf = wantsProtobuf(req);
    String[] route = {"other"};
    CompletionStage<FullHttpResponse> reply;
    // A command handed to the player meanwhile holds its events' fan-out on every loop for this
    // reply, let go once the reply is written: the reply (it carries the seq) goes out first and
    // does not wait for a core behind the listeners' copies.
    WakeHold.Reply held = http.wakes().open();
    try {
      reply = answer(req, target, protobuf, route, ctx);
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      // An Error of one request (a class missing from the jar, a recursion too deep) is its 500,
      // not a connection closed without an answer; the JVM exits on OutOfMemoryError by itself.
      reply = CompletableFuture.failedFuture(e);
    } finally {
      held.stopOpening();
      req.release();
    }
    Runnable fanOut = held::release;
    reply.whenComplete(
        (resp, err) -> {
          Runnable send =
              () -> {
                ChannelFuture f = null;
                try {
                  FullHttpResponse r = err == null ? resp : failure(err, protobuf);
                  Cors.allow(r, origin);
                  HttpUtil.setKeepAlive(r, keepAlive);
                  // Straight to the encoder: the handlers between pass a reply on as it is.
                  f = encoder == null ? null : encoder.writeReply(r);
                  if (f == null) {
                    f = ctx.writeAndFlush(r);
                  }
                } finally {
                  fanOutAfter(f, fanOut, ctx.executor());
                }
                http.metrics().command(route[0], System.nanoTime() - started);
                if (!keepAlive) {
                  f.addListener(ChannelFutureListener.CLOSE);
                  busy = false;
                } else {
                  next(ctx);
                }
              };
          // Answered on the loop already (a GET, a refusal): no hop through the task queue.
          if (ctx.executor().inEventLoop()) {
            send.run();
            return;
          }
          try {
            ctx.executor().execute(send);
          } catch (RuntimeException e) { // the loop is shutting down
            fanOut.run();
            throw e;
          }
        });
  }

  /**
   * Lets a reply's held fan-out go once the reply is in the kernel's hands. On epoll the flush has
   * written it by the time {@code writeAndFlush} returns; on io_uring it is only queued for the
   * ring, and the loop's listeners' copies, queued in the same turn, would be submitted in the same
   * {@code io_uring_enter} and reach the clients with it, not after it. So an unfinished write lets
   * the fan-out go when it completes (the ring's next turn), or after {@link #REPLY_HOLD_MAX_MS} at
   * the latest: a client that does not read its replies (a full socket buffer) delays the others'
   * events by no more than that.
   */
  static void fanOutAfter(ChannelFuture f, Runnable fanOut, EventExecutor loop) {
    if (f == null || f.isDone()) {
      fanOut.run();
      return;
    }
    java.util.concurrent.ScheduledFuture<?> latest;
    try {
      latest = loop.schedule(fanOut, REPLY_HOLD_MAX_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) { // the loop is shutting down
      fanOut.run();
      return;
    }
    f.addListener(
        done -> {
          latest.cancel(false);
          fanOut.run();
        });
  }

  /** Who {@code req} acts as; throws the refusal (401, 429) when its credentials are refused. */
  private Caller caller(FullHttpRequest req, ChannelHandlerContext ctx) {
    InetAddress from = Authentication.addressOf(ctx.channel());
    if (http.access() == null) {
      return new Caller(Principal.LOOPBACK, from);
    }
    return new Caller(
        http.access().authenticate(Authentication.credentials(req, false), from), from);
  }

  /** {@link #caller} for {@code GET /stream}, which also takes a one-use {@code ?ticket=}. */
  private Caller streamCaller(FullHttpRequest req, ChannelHandlerContext ctx) {
    InetAddress from = Authentication.addressOf(ctx.channel());
    if (http.access() == null) {
      return new Caller(Principal.LOOPBACK, from);
    }
    return new Caller(
        http.access().authenticate(Authentication.streamCredentials(req), from), from);
  }

  private CompletionStage<FullHttpResponse> answer(
      FullHttpRequest req,
      QueryStringDecoder q,
      boolean protobuf,
      String[] route,
      ChannelHandlerContext ctx) {
    if (peer == null) {
      peer = "http:" + ctx.channel().remoteAddress();
    }
    String path = q.path();
    String method = req.method().name();
    if (path.startsWith("/api/")) {
      Router.Match m = http.router().match(method, path).orElse(null);
      if (m == null && method.equals("HEAD")) {
        // RFC 9110 section 9.3.2: a HEAD is the GET without its body (the encoder drops it), so
        // that its headers (Content-Length, ETag) are the GET's.
        method = "GET";
        m = http.router().match(method, path).orElse(null);
      }
      if (m == null) {
        List<String> allowed = http.router().allowed(path);
        if (allowed.isEmpty()) {
          throw ApiException.notFound("route", path);
        }
        return done(
            Replies.methodNotAllowed(
                req.method().name() + " not allowed on " + path, allowed, protobuf));
      }
      route[0] = m.pattern();
      Caller caller = caller(req, ctx);
      boolean protoBody =
          String.valueOf(req.headers().get(HttpHeaderNames.CONTENT_TYPE))
              .startsWith(Replies.PROTOBUF);
      ApiRequest api =
          new ApiRequest(
              method,
              path,
              Map.copyOf(m.params()),
              q.parameters(),
              ByteBufUtil.getBytes(req.content()),
              protoBody,
              peer,
              new RequestHeaders(req.headers()),
              caller);
      return m.handler().handle(api).thenApply(r -> toHttp(r, protobuf));
    }
    if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
      return done(
          Replies.methodNotAllowed(
              method + " not allowed on " + path, List.of("GET", "HEAD"), protobuf));
    }
    route[0] = path.equals("/health") || path.equals("/metrics") ? path : "static";
    if (path.equals("/health")) {
      return done(Replies.bytes(HttpResponseStatus.OK, Replies.JSON, http.health().get()));
    }
    if (path.equals("/metrics")) {
      caller(req, ctx).principal().require(Scope.READ, "/metrics");
      return done(
          Replies.bytes(
              HttpResponseStatus.OK, http.metrics().contentType(), http.metrics().scrape()));
    }
    StaticFiles.File f =
        http.staticFiles().get(path).orElseThrow(() -> ApiException.notFound("file", path));
    boolean unchanged =
        EntityTags.noneMatchFails(req.headers().get(HttpHeaderNames.IF_NONE_MATCH), f.etag());
    FullHttpResponse r =
        unchanged
            ? Replies.notModified()
            : Replies.bytes(HttpResponseStatus.OK, f.contentType(), f.body());
    // A 304 carries the validators and caching rules the 200 would (RFC 9110 section 15.4.5).
    r.headers().set(HttpHeaderNames.ETAG, f.etag());
    r.headers()
        .set(
            HttpHeaderNames.CACHE_CONTROL,
            StaticFiles.immutable(path) ? "public, max-age=31536000, immutable" : "no-cache");
    return done(r);
  }

  private static CompletionStage<FullHttpResponse> done(FullHttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  private static FullHttpResponse toHttp(ApiResponse r, boolean protobuf) {
    HttpResponseStatus status = HttpResponseStatus.valueOf(r.status());
    if (r instanceof ApiResponse.Proto p) {
      return Replies.message(status, p.message(), protobuf);
    }
    ApiResponse.Bytes b = (ApiResponse.Bytes) r;
    FullHttpResponse resp =
        r.status() == 304
            ? Replies.notModified()
            : Replies.bytes(status, b.contentType(), b.body());
    b.headers().forEach((k, v) -> resp.headers().set(k, v));
    return resp;
  }

  private static FullHttpResponse failure(Throwable err, boolean protobuf) {
    Throwable t =
        err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (t instanceof DomainException d) {
      t = ApiException.from(d);
    }
    if (t instanceof ApiException e) {
      return Replies.refusal(e.status(), e.code(), e.getMessage(), e.details(), protobuf);
    }
    log.error("request failed", t);
    return Replies.error(
        HttpResponseStatus.INTERNAL_SERVER_ERROR,
        "internal",
        "internal error: " + t.getClass().getSimpleName(),
        Map.of(),
        protobuf);
  }

  private static boolean wantsProtobuf(FullHttpRequest req) {
    String accept = req.headers().get(HttpHeaderNames.ACCEPT);
    return accept != null && accept.contains(Replies.PROTOBUF);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (!busy) {
        ctx.close(); // an idle HTTP connection (a WebSocket's idleness is its handler's business)
      }
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    waiting.forEach(FullHttpRequest::release);
    waiting.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    if (cause instanceof java.io.IOException
        || cause instanceof io.netty.handler.codec.DecoderException) {
      log.debug("closing {}: {}", c.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("closing {} after an error", c.channel().remoteAddress(), cause);
    }
    c.close();
  }
}
