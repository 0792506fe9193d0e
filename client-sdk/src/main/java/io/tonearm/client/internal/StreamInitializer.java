package io.tonearm.client.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one event socket, in order. The upgrade handler puts Netty's WebSocket frame
 * encoder and decoder in its place once the daemon accepts the upgrade; the stream handler answers
 * pings.
 */
final class StreamInitializer extends ChannelInitializer<SocketChannel> {

  private final URI uri;
  private final int handshakeMillis;
  private final long readIdleMillis;
  private final int maxMessageBytes;
  private final StreamHandler handler;
  private final String token;
  private final SslContext ssl;

  /**
   * @param token sent as {@code Authorization: Bearer} on the upgrade; null for none
   * @param ssl TLS for a {@code wss} URI; null for plain
   */
  StreamInitializer(
      URI uri,
      int handshakeMillis,
      long readIdleMillis,
      int maxMessageBytes,
      StreamHandler h,
      String token,
      SslContext ssl) {
    this.uri = uri;
    this.handshakeMillis = handshakeMillis;
    this.readIdleMillis = readIdleMillis;
    this.maxMessageBytes = maxMessageBytes;
    this.handler = h;
    this.token = token;
    this.ssl = ssl;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (ssl != null) {
      ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), uri.getHost(), uri.getPort()));
    }
    ch.pipeline()
        .addLast("idle", new IdleStateHandler(readIdleMillis, 0, 0, TimeUnit.MILLISECONDS))
        .addLast("upgrade", new UpgradeHandler(uri, token, maxMessageBytes, handshakeMillis))
        .addLast("messages", new WebSocketFrameAggregator(maxMessageBytes))
        .addLast("stream", handler);
  }
}
