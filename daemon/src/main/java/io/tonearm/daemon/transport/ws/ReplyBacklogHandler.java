package io.tonearm.daemon.transport.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.tonearm.daemon.ops.Metrics;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a connection's WebSocket replies written and not yet taken by the socket: pongs to the
 * client's pings (Netty answers each one), and the hello, acks, errors and pongs of control
 * messages. A client that sends pings or requests and never reads would otherwise grow the heap by
 * one reply each (about 220 bytes); past {@code maxPending} it is closed with {@link
 * CloseCodes#UNREAD_REPLIES}. State events and frames are bounded elsewhere (the state lane's
 * budget, latest-wins frames) and do not pass here: they are written from the first handler.
 *
 * <p>Just before the protocol handler (which writes the pongs from its own place), so that pongs
 * and every write made on the channel pass it; one per connection, confined to its event loop.
 */
public final class ReplyBacklogHandler extends ChannelOutboundHandlerAdapter {

  private final int maxPending;
  private final Metrics metrics;
  private int pending;
  private boolean closing;

  /**
   * @param maxPending replies a client may leave unread before it is closed
   */
  public ReplyBacklogHandler(int maxPending, Metrics metrics) {
    this.maxPending = maxPending;
    this.metrics = metrics;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof WebSocketFrame) || msg instanceof CloseWebSocketFrame) {
      ctx.write(msg, promise);
      return;
    }
    if (closing || pending >= maxPending) {
      ReferenceCountUtil.release(msg);
      if (!promise.isVoid()) {
        promise.tryFailure(new ClosedChannelException());
      }
      if (!closing) {
        closing = true;
        metrics.disconnected("unread_replies");
        ctx.writeAndFlush(
                new CloseWebSocketFrame(
                    CloseCodes.UNREAD_REPLIES,
                    "more than " + maxPending + " replies unread; read what you are sent"))
            .addListener(HalfClose.AFTER_WRITE);
        // The close frame waits behind what the client does not read: cut it after a second.
        ctx.executor().schedule(() -> ctx.channel().close(), 1, TimeUnit.SECONDS);
      }
      return;
    }
    pending++;
    ChannelPromise counted = promise.unvoid();
    counted.addListener(f -> pending--);
    ctx.write(msg, counted);
  }
}
