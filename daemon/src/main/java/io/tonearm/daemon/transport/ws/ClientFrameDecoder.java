package io.tonearm.daemon.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

/**
 * Netty's WebSocket frame decoder with the close frame checked as RFC 6455 section 7.4 says: a
 * status code that may not be sent (below 1000, 1004-1006, 1015-2999, 5000 and up), a one-byte body
 * or a reason that is not UTF-8 is a protocol error, 1002 (Netty lets codes of 5000 and up through
 * and calls a bad reason 1007). Like every violation it is thrown as a {@link
 * CorruptedWebSocketFrameException} carrying the code, and the {@link WsHandler} sends the close
 * frame: the decoder itself writes nothing ({@link #config}).
 */
final class ClientFrameDecoder extends WebSocket13FrameDecoder {

  ClientFrameDecoder(int maxFrameBytes) {
    super(config(maxFrameBytes));
  }

  /**
   * The decoder settings of every client connection: masked frames, no extensions, UTF-8 checked,
   * frames up to {@code maxFrameBytes}, and violations reported rather than answered.
   */
  static WebSocketDecoderConfig config(int maxFrameBytes) {
    return WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(maxFrameBytes)
        .allowExtensions(false)
        .closeOnProtocolViolation(false)
        .build();
  }

  @Override
  protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf body) {
    try {
      super.checkCloseFrameBody(ctx, body);
    } catch (CorruptedWebSocketFrameException e) {
      throw new CorruptedWebSocketFrameException(
          WebSocketCloseStatus.PROTOCOL_ERROR, e.getMessage());
    }
    if (body != null && body.readableBytes() >= 2) {
      int code = body.getUnsignedShort(body.readerIndex());
      if (!sendable(code)) {
        throw new CorruptedWebSocketFrameException(
            WebSocketCloseStatus.PROTOCOL_ERROR, "close code " + code + " may not be sent");
      }
    }
  }

  /**
   * Codes an endpoint may put in a close frame: the assigned 1000-1003, 1007-1014, and 3000-4999.
   */
  static boolean sendable(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }
}
