package io.tonearm.bench.floor;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The least Netty does for peerbench's exchange, with the daemon's transport (epoll, Netty's
 * default loop count, TCP_NODELAY) and Netty's stock codecs: {@code HttpServerCodec}, {@code
 * HttpObjectAggregator}, {@code WebSocketServerProtocolHandler} on {@code /ws}, and one handler
 * that answers {@code POST .../volume} with the new state and then writes one text frame to every
 * socket. No journal, no hub, no JSON library: a floor to read Tonearm's own path against, not a
 * server (see {@link FloorServer}).
 */
final class NettyFloor {

  private NettyFloor() {}

  static void run(int port) throws InterruptedException {
    MultiThreadIoEventLoopGroup boss =
        new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    MultiThreadIoEventLoopGroup workers =
        new MultiThreadIoEventLoopGroup(0, EpollIoHandler.newFactory());
    ChannelGroup listeners = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    AtomicLong seq = new AtomicLong();
    WebSocketServerProtocolConfig ws =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/ws")
            .checkStartsWith(true)
            .build();
    Channel server =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(1 << 16))
                        .addLast(new WebSocketServerProtocolHandler(ws))
                        .addLast(new Commands(listeners, seq))
                        .addLast(new Frames());
                  }
                })
            .bind(port)
            .sync()
            .channel();
    System.out.println("netty floor listening on " + server.localAddress());
    server.closeFuture().sync();
  }

  /** Volume commands: the reply first, then the event to every listener (Tonearm's order). */
  private static final class Commands extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ChannelGroup listeners;
    private final AtomicLong seq;

    Commands(ChannelGroup listeners, AtomicLong seq) {
      this.listeners = listeners;
      this.seq = seq;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        listeners.add(ctx.channel());
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      int volume = FloorServer.volume(request.content().toString(StandardCharsets.UTF_8));
      if (request.method() != HttpMethod.POST || volume < 0) {
        reply(ctx, HttpResponseStatus.BAD_REQUEST, "{\"error\":\"POST {\\\"volume\\\":N}\"}");
        return;
      }
      long n = seq.incrementAndGet();
      reply(ctx, HttpResponseStatus.OK, FloorServer.reply(n, volume));
      // encoded once: the group writes a retained duplicate of the frame to each socket
      listeners.writeAndFlush(new TextWebSocketFrame(FloorServer.event(n, volume)));
    }

    private static void reply(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
      ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
      FullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
      response
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
      ctx.writeAndFlush(response);
    }
  }

  /** What a listener sends after the handshake (pongs, text) is read and dropped. */
  private static final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {}
  }
}
