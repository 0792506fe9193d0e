package io.tonearm.daemon.transport.mpd;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;

/**
 * The whole pipeline of an MPD connection, in order: a read timeout, request lines (bounded), UTF-8
 * text, and the connection's protocol state.
 */
public final class MpdInitializer extends ChannelInitializer<SocketChannel> {

  private final MpdContext context;
  private final StringDecoder utf8 = new StringDecoder(StandardCharsets.UTF_8);

  public MpdInitializer(MpdContext context) {
    this.context = context;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast("timeout", new IdleStateHandler(context.timeoutSeconds(), 0, 0))
        .addLast("lines", new LineBasedFrameDecoder(context.maxLineBytes() - 1, true, true))
        .addLast("utf8", utf8)
        .addLast("mpd", new MpdHandler(context));
  }
}
