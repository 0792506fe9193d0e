package io.tonearm.daemon.transport.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.tonearm.daemon.access.Scope;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.library.Uploads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives {@code PUT /api/v1/library/uploads/{name}} bodies straight into a staging file ({@link
 * Uploads.Spool}), chunk by chunk, instead of the 1 MiB aggregator after it: an upload may be up to
 * {@link Uploads#MAX_BYTES}. Before any byte is kept, the request must pass the {@link
 * GateHandler}'s checks (host, origin, body type) and authenticate with scope {@code library};
 * otherwise, or when the upload is refused (name, size, name taken, too many at once) or grows past
 * the bound, its body is read and dropped and the connection is closed after the reply.
 *
 * <p>Either way, what goes on down the pipeline is the request's head as a {@link FullHttpRequest}
 * with an empty body and the spool's id in {@link Uploads#SPOOL_HEADER}: at once for a refusal,
 * after the last chunk for an upload received whole. The gate and the dispatcher then answer it in
 * the connection's order like any request, through the route {@code library.upload}, which finds
 * the spool by that id. The header is removed from every other request. {@code Expect:
 * 100-continue} is answered here, only for an upload that will be kept.
 *
 * <p>One per connection, on its event loop; the file writes happen on the event loop too (8 KiB
 * chunks into the page cache; the file is forced to disk once, by the route's job).
 */
public final class UploadHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(UploadHandler.class);

  private final Uploads uploads;
  private final GateHandler gate;
  private final HttpContext http;
  private HttpRequest head; // the upload whose body is arriving; null between uploads
  private Uploads.Spool spool;
  private boolean forwarded; // its head went on down the pipeline
  private final List<Uploads.Spool> handedOn = new ArrayList<>(); // forwarded, route not yet run

  public UploadHandler(Uploads uploads, GateHandler gate, HttpContext http) {
    this.uploads = uploads;
    this.gate = gate;
    this.http = http;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest full) {
      // Made whole at the decoder (WholeRequests): never an upload, whose PUT comes in parts.
      full.headers().remove(Uploads.SPOOL_HEADER);
    } else if (msg instanceof HttpRequest req) {
      req.headers().remove(Uploads.SPOOL_HEADER);
      if (isUpload(req)) {
        start(ctx, req);
        if (msg instanceof LastHttpContent) {
          body(ctx, (LastHttpContent) msg);
        }
        return;
      }
    } else if (head != null && msg instanceof HttpContent c) {
      body(ctx, c);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private static boolean isUpload(HttpRequest req) {
    return req.method().equals(HttpMethod.PUT)
        && req.decoderResult().isSuccess()
        && new QueryStringDecoder(req.uri()).path().startsWith(BodyTypes.UPLOADS);
  }

  private void start(ChannelHandlerContext ctx, HttpRequest req) {
    head = req;
    forwarded = false;
    long declared = HttpUtil.getContentLength(req, -1L);
    String name = new QueryStringDecoder(req.uri()).path().substring(BodyTypes.UPLOADS.length());
    // A refusal is answered at once; the body is then read and dropped on a connection kept open
    // (closing it under a client still sending would reset it before the reply is read), except
    // past the size bound, where the connection is closed after the reply rather than read on.
    if (!admitted(ctx, req, declared) || name.indexOf('/') >= 0) {
      spool = null; // the gate, the dispatcher or the router refuses it in order
      forward(ctx, !HttpUtil.isKeepAlive(req));
      return;
    }
    spool = uploads.open(name, declared);
    if (spool.refused()) {
      forward(ctx, declared > Uploads.MAX_BYTES || !HttpUtil.isKeepAlive(req));
      return;
    }
    if (HttpUtil.is100ContinueExpected(req)) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.CONTINUE));
    }
  }

  /** True when the gate lets the head through and it acts for a principal with scope library. */
  private boolean admitted(ChannelHandlerContext ctx, HttpRequest req, long declared) {
    FullHttpResponse refusal = gate.refusal(req, declared, ctx.channel());
    if (refusal != null) {
      refusal.release();
      return false;
    }
    if (http.access() == null) {
      return true;
    }
    try {
      http.access()
          .authenticate(
              Authentication.credentials(req, false), Authentication.addressOf(ctx.channel()))
          .require(Scope.LIBRARY, "library.upload");
      return true;
    } catch (DomainException e) {
      return false;
    }
  }

  private void body(ChannelHandlerContext ctx, HttpContent c) {
    try {
      if (spool != null && !forwarded && c.content().isReadable()) {
        boolean kept;
        try {
          kept = true;
          for (ByteBuffer b : c.content().nioBuffers()) {
            kept &= spool.write(b);
          }
        } catch (IOException e) {
          log.warn("upload into {} failed: {}", spool.id(), e.toString());
          spool.abandon();
          spool = null;
          kept = false;
        }
        if (!kept) {
          forward(ctx, true); // past the bound (the route answers 413) or the write failed
        }
      }
    } finally {
      ReferenceCountUtil.release(c);
    }
    if (c instanceof LastHttpContent) {
      if (!forwarded) {
        forward(ctx, !HttpUtil.isKeepAlive(head));
      }
      head = null;
      spool = null;
    }
  }

  /** Sends the upload's head on, bodiless, with its spool's id; once per upload. */
  private void forward(ChannelHandlerContext ctx, boolean close) {
    forwarded = true;
    HttpRequest req = head;
    FullHttpRequest full =
        new DefaultFullHttpRequest(
            req.protocolVersion(), req.method(), req.uri(), Unpooled.EMPTY_BUFFER);
    full.headers().set(req.headers());
    full.headers().remove(HttpHeaderNames.EXPECT);
    full.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    // A request turned away before its body keeps its declared length, so that the gate judges its
    // body type as it would the whole request's; an upload taken says it has no body left.
    long declared = HttpUtil.getContentLength(req, -1L);
    full.headers().set(HttpHeaderNames.CONTENT_LENGTH, spool == null && declared != 0 ? 1 : 0);
    if (spool != null) {
      full.headers().set(Uploads.SPOOL_HEADER, spool.id());
      handedOn.removeIf(Uploads.Spool::taken);
      handedOn.add(spool);
    }
    if (close) {
      HttpUtil.setKeepAlive(full, false);
    }
    ctx.fireChannelRead(full);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (spool != null) {
      spool.abandon(); // the body never came whole: nothing is kept
      spool = null;
    }
    handedOn.forEach(Uploads.Spool::abandon); // the connection ended before their route ran
    handedOn.clear();
    super.channelInactive(ctx);
  }
}
