package io.tonearm.daemon.transport.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP request decoder with back-pressure for pipelining: once {@code maxUnanswered} requests
 * have been decoded and not yet answered, it decodes nothing more and stops reading the socket;
 * each reply written (reported by {@link PacedResponseEncoder}) lets it go on with the bytes it
 * holds, then with the socket. Without this a client that pipelines hundreds of requests in one
 * write gets them all decoded at once, however many wait.
 *
 * <p>It pauses only between requests (never inside a body, which the requests before it do not
 * need). Confined to the channel's event loop; one per connection.
 */
public final class PacedRequestDecoder extends HttpRequestDecoder {

  private final int maxUnanswered;
  private final long headerTimeoutMillis;
  private final Runnable timedOut;
  private final int maxWholeBody;
  // The head's deadline: one timer per connection, not one scheduled and cancelled per request (a
  // keep-alive client's heads each arrive whole, and the schedule and cancel were about 2 % of a
  // command's CPU). When it fires it looks at the head being read now, if any, and sleeps on to
  // that head's own deadline; between requests it ends, and the next head starts it again.
  private final Runnable headDue = this::headDue;
  private ScheduledFuture<?> headTimer;
  private boolean inHead; // a request's first byte was seen, its head is not yet decoded
  private long headStarted; // the executor's nanoTime at that byte
  private final ArrayDeque<Boolean> heads = new ArrayDeque<>(); // unanswered: was it a HEAD?
  private ChannelHandlerContext ctx;
  private boolean inRequest; // a head was decoded, its last content not yet
  private boolean paused;
  private boolean closeAfterReply;

  /**
   * @param maxUnanswered requests decoded and not yet answered before decoding stops, at least 1
   * @param headerTimeoutMillis time from a request's first byte to the end of its headers; past it
   *     the client gets 408 and the connection is closed (a slowloris client trickling headers)
   * @param timedOut called on the event loop when a request's head is cut (for metrics)
   */
  public PacedRequestDecoder(
      HttpDecoderConfig config, int maxUnanswered, long headerTimeoutMillis, Runnable timedOut) {
    this(config, maxUnanswered, headerTimeoutMillis, timedOut, -1);
  }

  /**
   * @param maxWholeBody the longest body (at most the config's chunk size and the aggregator's
   *     bound) of a request emitted whole when it is all in the buffer ({@link WholeRequests}); -1
   *     for none: every request in parts, for an aggregator
   */
  public PacedRequestDecoder(
      HttpDecoderConfig config,
      int maxUnanswered,
      long headerTimeoutMillis,
      Runnable timedOut,
      int maxWholeBody) {
    super(config);
    if (maxUnanswered < 1) {
      throw new IllegalArgumentException("maxUnanswered must be at least 1");
    }
    if (maxWholeBody > config.getMaxChunkSize()) {
      throw new IllegalArgumentException("maxWholeBody must be at most the chunk size");
    }
    this.maxUnanswered = maxUnanswered;
    this.headerTimeoutMillis = headerTimeoutMillis;
    this.timedOut = timedOut;
    this.maxWholeBody = maxWholeBody;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
  }

  /** Requests decoded and not yet answered. */
  public int unanswered() {
    return heads.size();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out)
      throws Exception {
    if (!inRequest && heads.size() >= maxUnanswered) {
      if (!paused) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
      }
      return; // the bytes stay in the cumulation until a reply is written
    }
    if (!inRequest && !inHead && buffer.isReadable()) {
      inHead = true;
      headStarted = ctx.executor().ticker().nanoTime();
      if (headTimer == null) {
        headTimer = ctx.executor().schedule(headDue, headerTimeoutMillis, TimeUnit.MILLISECONDS);
      }
    }
    int before = out.size();
    super.decode(ctx, buffer, out);
    for (int i = before; i < out.size(); i++) {
      Object o = out.get(i);
      if (o instanceof HttpRequest r) {
        if (r.decoderResult().isSuccess()) {
          RequestTargets.toOriginForm(r);
          long body = WholeRequests.bodyLength(r, maxWholeBody);
          if (body >= 0 && i == out.size() - 1 && buffer.readableBytes() >= body) {
            super.decode(ctx, buffer, out); // the body: all of it, as it is all here
          }
          if (body >= 0 && i == out.size() - 2 && out.get(i + 1) instanceof LastHttpContent c) {
            out.set(i, WholeRequests.join(r, c));
            out.remove(i + 1);
            o = out.get(i);
          }
        }
        heads.add(HttpMethod.HEAD.equals(r.method()));
        inRequest = true;
        inHead = false;
      }
      if (o instanceof LastHttpContent) {
        inRequest = false;
      }
    }
  }

  private void cancelHeadTimer() {
    if (headTimer != null) {
      headTimer.cancel(false);
      headTimer = null;
    }
  }

  private void headDue() {
    headTimer = null;
    if (!inHead || ctx.isRemoved() || !ctx.channel().isActive()) {
      return;
    }
    long left =
        headStarted
            + TimeUnit.MILLISECONDS.toNanos(headerTimeoutMillis)
            - ctx.executor().ticker().nanoTime();
    if (left > 0) { // the head being read began after the one this timer was set for
      headTimer = ctx.executor().schedule(headDue, left, TimeUnit.NANOSECONDS);
      return;
    }
    inHead = false;
    timedOut.run();
    FullHttpResponse r =
        Replies.error(
            HttpResponseStatus.REQUEST_TIMEOUT,
            "request_timeout",
            "the request's headers did not arrive within " + headerTimeoutMillis + " ms");
    HttpUtil.setKeepAlive(r, false);
    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    cancelHeadTimer(); // upgraded to a WebSocket, or closed
    super.handlerRemoved0(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelHeadTimer();
    super.channelInactive(ctx);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (paused) {
      ctx.fireChannelReadComplete(); // the base class would ask for more bytes: not while paused
    } else {
      super.channelReadComplete(ctx);
    }
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    closeAfterReply = true; // a smuggling attempt or a broken client: end after this reply
  }

  /**
   * Called by the encoder as a reply's head is written: whether the request it answers was a HEAD
   * (its body must not be sent).
   */
  boolean answeringHead() {
    Boolean head = heads.peek();
    return head != null && head;
  }

  /** True when the connection must be closed after the reply being written. */
  boolean closeAfterReply() {
    return closeAfterReply;
  }

  /**
   * Called by the encoder once a reply is complete: one request fewer waits, and decoding goes on
   * if it had stopped.
   */
  void answered() {
    heads.poll();
    if (paused && heads.size() < maxUnanswered) {
      paused = false;
      ctx.executor().execute(this::resume);
    }
  }

  private void resume() {
    if (ctx.isRemoved() || !ctx.channel().isActive()) {
      return;
    }
    try {
      channelRead(ctx, Unpooled.EMPTY_BUFFER); // decode what is held
      channelReadComplete(ctx);
    } catch (Exception e) {
      ctx.fireExceptionCaught(e);
    }
    if (!paused) {
      ctx.channel().config().setAutoRead(true);
    }
  }
}
