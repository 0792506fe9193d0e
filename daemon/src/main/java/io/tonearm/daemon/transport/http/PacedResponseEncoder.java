package io.tonearm.daemon.transport.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The HTTP response encoder paired with a {@link PacedRequestDecoder}: tells it when each final
 * reply is complete (interim 1xx replies do not count), sends no body in reply to a HEAD, and
 * closes the connection after the reply when the decoder asks for it. Every final reply gets the
 * {@code Date} header an origin server with a clock must send (RFC 9110 section 6.6.1), the
 * daemon's own replies and Netty's (413, 417) alike.
 */
public final class PacedResponseEncoder extends HttpResponseEncoder {

  private final PacedRequestDecoder decoder;
  private boolean inReply; // a final reply's head was written, its last content not yet

  public PacedResponseEncoder(PacedRequestDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof HttpResponse r && r.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      inReply = true;
      if (!r.headers().contains(HttpHeaderNames.DATE)) {
        r.headers().set(HttpHeaderNames.DATE, HttpDate.now());
      }
    }
    boolean complete = inReply && msg instanceof LastHttpContent;
    if (complete && decoder.closeAfterReply()) {
      promise = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
    }
    super.write(ctx, msg, promise); // encodes the head first: answeringHead() still sees this reply
    if (complete) {
      inReply = false;
      decoder.answered();
    }
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpResponse msg) {
    return (msg.status().codeClass() != HttpStatusClass.INFORMATIONAL && decoder.answeringHead())
        || super.isContentAlwaysEmpty(msg);
  }
}
