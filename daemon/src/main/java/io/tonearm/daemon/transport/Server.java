package io.tonearm.daemon.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.transport.http.GateHandler;
import io.tonearm.daemon.transport.http.HostNames;
import io.tonearm.daemon.transport.http.HttpContext;
import io.tonearm.daemon.transport.http.OriginPolicy;
import io.tonearm.daemon.transport.mpd.MpdContext;
import io.tonearm.daemon.transport.mpd.MpdInitializer;
import io.tonearm.daemon.transport.ws.WsContext;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The listening sockets: the HTTP/WebSocket port and, when configured, MPD's protocol on its own
 * port; both on the same event loops: io_uring when {@code --io-uring on} and the kernel allows it,
 * else native epoll when the platform has it, NIO otherwise.
 */
public final class Server implements AutoCloseable {

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel channel;
  private final Channel mpdChannel;
  private final boolean epoll;
  private final String transport;
  private final ConnectionLimitHandler limit;

  /**
   * Binds and starts serving.
   *
   * @throws java.net.BindException when the address is in use or cannot be bound
   */
  public Server(Config config, WsContext ws, HttpContext http) throws Exception {
    this(config, ws, http, null);
  }

  /**
   * Binds and starts serving, with MPD's protocol on {@code config.mpdPort()} when that is not -1.
   *
   * @param mpd the MPD connections' shared state; null for no MPD port
   * @throws java.net.BindException when an address is in use or cannot be bound
   */
  public Server(Config config, WsContext ws, HttpContext http, MpdContext mpd) throws Exception {
    epoll = Epoll.isAvailable();
    limit =
        new ConnectionLimitHandler(
            config.connections(),
            http.metrics(),
            http.access() == null ? null : http.access().audit());
    boolean uring = config.ioUring() && IoUring.isAvailable();
    if (config.ioUring() && !uring) {
      LoggerFactory.getLogger(Server.class)
          .warn(
              "--io-uring on, but the kernel refuses io_uring ({}): the sockets use {}",
              String.valueOf(IoUring.unavailabilityCause()),
              epoll ? "epoll" : "NIO");
    }
    transport = uring ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
    IoHandlerFactory io =
        uring
            ? IoUringIoHandler.newFactory()
            : epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerSocketChannel> type =
        uring
            ? IoUringServerSocketChannel.class
            : epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tonearm-accept"), io);
    workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("tonearm-io"), io);
    try {
      SslContext tls = tlsContext(config.security());
      ConnectionLimitHandler mpdLimit = limit.forMpd();
      GateHandler gate =
          new GateHandler(
              new OriginPolicy(config.allowedOrigins()),
              HostNames.forBind(config.bind(), config.connections().allowedHosts()),
              http.access(),
              ws.sockets(),
              http.zoneExists(),
              ws.availability(),
              ws.admission());
      channel =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(type)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_SNDBUF, config.sendBufferBytes())
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(config.sendBufferBytes() / 2, config.sendBufferBytes()))
              .childHandler(new ServerInitializer(config, limit, gate, ws, http, tls))
              .bind(config.bind(), config.port())
              .sync()
              .channel();
      mpdChannel =
          mpd == null || config.mpdPort() < 0
              ? null
              : new ServerBootstrap()
                  .group(boss, workers)
                  .channel(type)
                  .option(ChannelOption.SO_BACKLOG, 1024)
                  .childOption(ChannelOption.TCP_NODELAY, true)
                  .childOption(ChannelOption.SO_SNDBUF, config.sendBufferBytes())
                  .childOption(
                      ChannelOption.WRITE_BUFFER_WATER_MARK,
                      new WriteBufferWaterMark(
                          config.sendBufferBytes() / 2, config.sendBufferBytes()))
                  .childHandler(
                      new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                          QuietLoops.keepAsleep(ch.eventLoop());
                          // MPD's connections count toward the same caps as HTTP's.
                          ch.pipeline().addLast("limit", mpdLimit).addLast(new MpdInitializer(mpd));
                        }
                      })
                  .bind(config.bind(), config.mpdPort())
                  .sync()
                  .channel();
      channel.eventLoop().execute(() -> QuietLoops.keepAsleep(channel.eventLoop()));
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /**
   * The server side of TLS from the configured PEM files (JDK provider), or null without them.
   *
   * @throws IllegalArgumentException naming the file when the certificate or key cannot be read
   */
  private static SslContext tlsContext(Config.Security s) {
    if (!s.tls()) {
      return null;
    }
    try {
      return SslContextBuilder.forServer(s.tlsCert().toFile(), s.tlsKey().toFile())
          .sslProvider(SslProvider.JDK)
          .build();
    } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use --tls-cert "
              + s.tlsCert()
              + " with --tls-key "
              + s.tlsKey()
              + " (PEM certificate chain and unencrypted PKCS#8 key): "
              + e.getMessage(),
          e);
    }
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The bound MPD port, or -1 when MPD's protocol is off. */
  public int mpdPort() {
    return mpdChannel == null ? -1 : ((InetSocketAddress) mpdChannel.localAddress()).getPort();
  }

  /** Connections open now, HTTP and WebSocket. */
  public int openConnections() {
    return limit.open();
  }

  /** The process's file descriptor limit, or -1 when unknown. */
  public long fdLimit() {
    return limit.fdLimit();
  }

  /** The socket transport in use: "io_uring", "epoll" or "nio". */
  public String transport() {
    return transport;
  }

  /** Stops accepting; open connections are closed by {@link #close}. */
  public void stopAccepting() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    if (mpdChannel != null) {
      mpdChannel.close().syncUninterruptibly();
    }
  }

  @Override
  public void close() {
    stopAccepting();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
