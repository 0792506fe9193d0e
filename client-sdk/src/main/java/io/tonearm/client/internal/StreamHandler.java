package io.tonearm.client.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.tonearm.proto.v1.Envelope;

/**
 * Turns one socket's frames into envelopes for the runner, answers the daemon's pings, and
 * remembers why the socket ended: the daemon's close code and reason, or the failure. Reports the
 * end once, when the channel goes inactive.
 */
final class StreamHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

  private final StreamRunner runner;
  private int closeCode = StreamRunner.ABNORMAL;
  private String reason = "connection lost";
  private boolean fatal;

  StreamHandler(StreamRunner runner) {
    this.runner = runner;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof BinaryWebSocketFrame) {
      Envelope e;
      try {
        e = parse(frame.content());
      } catch (InvalidProtocolBufferException ex) {
        fail(ctx, "malformed envelope from daemon: " + ex.getMessage());
        return;
      }
      runner.received(ctx.channel(), e);
    } else if (frame instanceof PingWebSocketFrame) {
      // RFC 6455 section 5.5.2: a pong with the ping's application data, at once.
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), ctx.voidPromise());
    } else if (frame instanceof CloseWebSocketFrame close) {
      closeCode = close.statusCode() < 0 ? 1005 : close.statusCode();
      reason = close.reasonText();
      fatal = closeCode == StreamRunner.POLICY;
      // Echo the close (RFC 6455 section 5.5.1), then drop the connection.
      ctx.writeAndFlush(new CloseWebSocketFrame(closeCode == 1005 ? 1000 : closeCode, ""))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * Parses one message's bytes: in place from a heap buffer's array; from a copy otherwise (a
   * direct buffer as Netty reads it, or a message the aggregator joined from fragments). Not over
   * the direct buffer's {@code nioBuffer()}: protobuf copies its bytes to an array anyway before
   * decoding, after a ByteBuffer view from Netty and a duplicate of it (888 -> 824 bytes of garbage
   * per player event, {@code EnvelopeParseBench -prof gc}); and not through an InputStream, whose
   * decoder allocates a 4 KB buffer for every message, 40 times the size of a typical event.
   */
  static Envelope parse(ByteBuf content) throws InvalidProtocolBufferException {
    return content.hasArray()
        ? Envelope.parser()
            .parseFrom(
                content.array(),
                content.arrayOffset() + content.readerIndex(),
                content.readableBytes())
        : Envelope.parseFrom(ByteBufUtil.getBytes(content));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      fail(ctx, "nothing received within the read idle timeout");
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      fail(ctx, "WebSocket handshake timed out");
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof UpgradeHandler.Refused r && r.status >= 400 && r.status < 500) {
      // A 4xx to the upgrade is a malformed URL (unknown topic, bad resume): retrying cannot help.
      fatal = true;
    }
    fail(ctx, String.valueOf(cause.getMessage()));
  }

  private void fail(ChannelHandlerContext ctx, String why) {
    if (closeCode == StreamRunner.ABNORMAL) {
      reason = why;
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    runner.ended(closeCode, reason == null ? "" : reason, fatal);
    super.channelInactive(ctx);
  }
}
