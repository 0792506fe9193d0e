package io.tonearm.daemon.transport.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Netty's WebSocket upgrade and protocol handler, except that a frame the decoder refuses (1002, or
 * 1009 for one frame over the limit) is left to {@link WsHandler}, which sends the close frame and
 * closes as for every close the daemon starts (its sending half, then a read-and-drop until the
 * client's close or one second: {@link HalfClose}). Netty's own handler closes the whole connection
 * at once after passing the error on, and a client still writing then got a reset that dropped the
 * close frame it had not read.
 */
public final class ClosingProtocolHandler extends WebSocketServerProtocolHandler {

  public ClosingProtocolHandler(WebSocketServerProtocolConfig config) {
    super(config);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (cause instanceof CorruptedWebSocketFrameException
        || cause instanceof TooLongFrameException) {
      ctx.fireExceptionCaught(cause); // WsHandler closes (at once before the handshake is done)
      return;
    }
    super.exceptionCaught(ctx, cause);
  }
}
