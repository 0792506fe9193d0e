package io.tonearm.daemon.transport.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import io.tonearm.daemon.transport.ws.DirectSend;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The HTTP response encoder paired with a {@link PacedRequestDecoder}: tells it when each final
 * reply is complete (interim 1xx replies do not count), sends no body in reply to a HEAD, and
 * closes the connection after the reply when the decoder asks for it. Every final reply gets the
 * {@code Date} header an origin server with a clock must send (RFC 9110 section 6.6.1), the
 * daemon's own replies and Netty's (413, 417) alike.
 *
 * <p>The dispatcher's complete replies can also be handed to {@link #writeReply} directly, past the
 * outbound handlers between the two (they pass an HTTP reply on as it is), and, on epoll without
 * TLS, go to the socket with one {@code send(2)} when nothing is queued ({@link DirectSend}). Same
 * steps, same bytes as {@link #write}; fewer hops and no outbound-buffer entry.
 */
public final class PacedResponseEncoder extends HttpResponseEncoder {

  private static final int JOIN_MAX_BYTES = 16 * 1024;

  private final PacedRequestDecoder decoder;
  private final boolean unfiltered;
  private boolean inReply; // a final reply's head was written, its last content not yet
  private ChannelHandlerContext ctx;
  private DirectSend direct;
  private final List<Object> encoded = new ArrayList<>(2);

  public PacedResponseEncoder(PacedRequestDecoder decoder) {
    this(decoder, false);
  }

  /**
   * @param unfiltered true when no outbound handler in front of this one changes what it writes (no
   *     TLS), so that {@link #writeReply} may send straight to the socket
   */
  public PacedResponseEncoder(PacedRequestDecoder decoder, boolean unfiltered) {
    this.decoder = decoder;
    this.unfiltered = unfiltered;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    if (unfiltered) {
      direct = DirectSend.unfiltered(ctx.channel());
    }
    super.handlerAdded(ctx);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof HttpResponse r && r.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      inReply = true;
      dated(r);
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

  private static void dated(HttpResponse r) {
    if (!r.headers().contains(HttpHeaderNames.DATE)) {
      r.headers().set(HttpHeaderNames.DATE, HttpDate.now());
    }
  }

  /**
   * Writes and flushes a complete final reply from this encoder's place, as {@code
   * writeAndFlush(r)} from behind it would: the same {@code Date}, HEAD and close-after-reply
   * rules, encoded by the same code. Returns the write's future (already succeeded when the socket
   * took it all at once), or null, with {@code r} untouched, when the reply must take the pipeline
   * (this encoder is gone after an upgrade, a streamed reply is being written, or {@code r} is
   * interim). On the channel's event loop.
   */
  public ChannelFuture writeReply(FullHttpResponse r) {
    if (ctx == null
        || ctx.isRemoved()
        || inReply
        || r.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      return null;
    }
    dated(r);
    boolean close = decoder.closeAfterReply();
    ByteBuf plain = plainReply(r);
    if (plain != null) {
      encoded.add(plain);
    } else {
      try {
        encode(ctx, r, encoded); // releases r
      } catch (Exception e) {
        encoded.forEach(ReferenceCountUtil::release);
        encoded.clear();
        return ctx.newFailedFuture(e instanceof EncoderException ee ? ee : new EncoderException(e));
      }
      if (encoded.size() > 1) {
        joinEncoded();
      }
    }
    decoder.answered();
    ChannelFuture f;
    if (encoded.size() == 1 && direct != null && direct.send((ByteBuf) encoded.get(0))) {
      f = ctx.newSucceededFuture();
    } else {
      f = writeEncoded(); // what the socket did not take, in order, behind what is queued
    }
    encoded.clear();
    if (close) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
    return f;
  }

  /**
   * The bytes the encoder writes for {@code r} (status line, headers in order, blank line, body) in
   * one buffer sized for them, written in one pass, and {@code r} released; or null, {@code r}
   * untouched, when the encoder must write it: a reply without a body by its status or to a HEAD
   * (the encoder drops the body and some headers), a {@code Transfer-Encoding} (it frames the
   * body), a character past ASCII (it writes {@code ?} for some), or past {@link #JOIN_MAX_BYTES}
   * in all. The encoder's own way (a head buffer of a guessed size, then the body copied into a
   * second) was about 6 % of a volume command's CPU on its loop.
   */
  private ByteBuf plainReply(FullHttpResponse r) {
    int code = r.status().code();
    if (code < 200 || code == 204 || code == 205 || code == 304 || decoder.answeringHead()) {
      return null;
    }
    HttpHeaders headers = r.headers();
    if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      return null;
    }
    String version = r.protocolVersion().text();
    AsciiString status = r.status().codeAsText();
    String reason = r.status().reasonPhrase();
    int length = version.length() + status.length() + reason.length() + 6; // 2 SP, 2 CRLF
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> h = it.next();
      length += h.getKey().length() + h.getValue().length() + 4; // ": ", CRLF
    }
    ByteBuf content = r.content();
    int body = content.readableBytes();
    if (length + body > JOIN_MAX_BYTES) {
      return null;
    }
    byte[] head = new byte[length];
    int at = put(head, 0, version);
    head[at++] = ' ';
    at = put(head, at, status);
    head[at++] = ' ';
    at = put(head, at, reason);
    head[at++] = '\r';
    head[at++] = '\n';
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> h = it.next();
      at = put(head, at, h.getKey());
      head[at++] = ':';
      head[at++] = ' ';
      at = put(head, at, h.getValue());
      head[at++] = '\r';
      head[at++] = '\n';
    }
    head[at++] = '\r';
    head[at] = '\n';
    for (byte b : head) {
      if (b < 0) {
        return null; // a character past ASCII
      }
    }
    ByteBuf out = ctx.alloc().directBuffer(length + body);
    out.writeBytes(head);
    content.getBytes(content.readerIndex(), out, length, body);
    out.writerIndex(length + body);
    r.release();
    return out;
  }

  /**
   * Writes {@code s}'s characters at {@code at} as bytes, a character past ASCII as 0x80 (negative:
   * the caller looks for it); returns the index after them.
   */
  private static int put(byte[] to, int at, CharSequence s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      to[at + i] = (byte) Math.min(s.charAt(i), 0x80);
    }
    return at + n;
  }

  /**
   * The head and a body the encoder did not copy into the head's buffer (one past its size guess,
   * as most JSON replies are) in one buffer, for one send: a copy of a few hundred bytes costs less
   * than the outbound buffer's two entries and their {@code writev}. Chunked and larger replies
   * stay in parts.
   */
  private void joinEncoded() {
    int bytes = 0;
    for (Object o : encoded) {
      if (!(o instanceof ByteBuf b)) {
        return;
      }
      bytes += b.readableBytes();
    }
    if (bytes > JOIN_MAX_BYTES) {
      return;
    }
    ByteBuf one = ctx.alloc().directBuffer(bytes);
    for (Object o : encoded) {
      ByteBuf b = (ByteBuf) o;
      // Read from the part into the joined buffer: a direct or heap part copies straight to its
      // address, where writeBytes(b) went through two NIO buffer views per part.
      int n = b.readableBytes();
      b.getBytes(b.readerIndex(), one, one.writerIndex(), n);
      one.writerIndex(one.writerIndex() + n);
      b.release();
    }
    encoded.clear();
    encoded.add(one);
  }

  private ChannelFuture writeEncoded() {
    ChannelFuture f;
    if (encoded.size() == 1) {
      f = ctx.write(encoded.get(0));
    } else {
      PromiseCombiner all = new PromiseCombiner(ctx.executor());
      for (Object o : encoded) {
        all.add(ctx.write(o));
      }
      ChannelPromise p = ctx.newPromise();
      all.finish(p);
      f = p;
    }
    ctx.flush();
    return f;
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpResponse msg) {
    return (msg.status().codeClass() != HttpStatusClass.INFORMATIONAL && decoder.answeringHead())
        || super.isContentAlwaysEmpty(msg);
  }
}
