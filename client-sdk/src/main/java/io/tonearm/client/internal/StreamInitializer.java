package io.tonearm.client.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/** The pipeline of one event socket, in order. The protocol handler answers pings itself. */
final class StreamInitializer extends ChannelInitializer<SocketChannel> {

  private final WebSocketClientProtocolConfig config;
  private final long readIdleMillis;
  private final int maxMessageBytes;
  private final StreamHandler handler;

  StreamInitializer(
      URI uri, int handshakeMillis, long readIdleMillis, int maxMessageBytes, StreamHandler h) {
    this.config =
        WebSocketClientProtocolConfig.newBuilder()
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
    ch.pipeline()
        .addLast("idle", new IdleStateHandler(readIdleMillis, 0, 0, TimeUnit.MILLISECONDS))
        .addLast("http", new HttpClientCodec())
        .addLast("aggregate", new HttpObjectAggregator(64 << 10))
        .addLast("ws", new WebSocketClientProtocolHandler(config))
        .addLast("messages", new WebSocketFrameAggregator(maxMessageBytes))
        .addLast("stream", handler);
  }
}
