package io.tonearm.client.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/** The pipeline of one event socket, in order. The protocol handler answers pings itself. */
final class StreamInitializer extends ChannelInitializer<SocketChannel> {

  private final WebSocketClientProtocolConfig config;
  private final long readIdleMillis;
  private final int maxMessageBytes;
  private final StreamHandler handler;
  private final SslContext ssl;
  private final URI uri;

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
    this.ssl = ssl;
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    if (token != null) {
      headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
    }
    this.config =
        WebSocketClientProtocolConfig.newBuilder()
            .customHeaders(headers)
            .webSocketUri(uri)
            .version(WebSocketVersion.V13)
            .allowExtensions(false)
            .maxFramePayloadLength(maxMessageBytes)
            .handshakeTimeoutMillis(handshakeMillis)
            .handleCloseFrames(false)
            .dropPongFrames(true)
            .build();
    this.readIdleMillis = readIdleMillis;
    this.maxMessageBytes = maxMessageBytes;
    this.handler = h;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (ssl != null) {
      ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), uri.getHost(), uri.getPort()));
    }
    ch.pipeline()
        .addLast("idle", new IdleStateHandler(readIdleMillis, 0, 0, TimeUnit.MILLISECONDS))
        .addLast("http", new HttpClientCodec())
        .addLast("aggregate", new HttpObjectAggregator(64 << 10))
        .addLast("ws", new WebSocketClientProtocolHandler(config))
        .addLast("messages", new WebSocketFrameAggregator(maxMessageBytes))
        .addLast("stream", handler);
  }
}
