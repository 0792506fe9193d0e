package io.tonearm.daemon.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tonearm.daemon.access.AuditLog;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.ops.Metrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits a new connection or refuses it at once with a 503 and a JSON error naming the bound: more
 * than {@code max} connections open, more than {@code maxPerAddress} from one remote address
 * (loopback counts only toward the total), or fewer than {@code fdReserve} file descriptors left
 * for the daemon's own files (state saves, the database, decoders). First in every connection's
 * pipeline; shared by all event loops.
 */
@Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {

  private final Config.Connections limits;
  private final Metrics metrics;
  private final AuditLog audit;
  private final FileDescriptors fds;
  private final AtomicInteger open;
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress;
  private final boolean mpd;

  public ConnectionLimitHandler(Config.Connections limits, Metrics metrics) {
    this(limits, metrics, null);
  }

  /**
   * @param audit where each connection and refusal is logged; null for nowhere
   */
  public ConnectionLimitHandler(Config.Connections limits, Metrics metrics, AuditLog audit) {
    this(
        limits,
        metrics,
        audit,
        new FileDescriptors(),
        new AtomicInteger(),
        new ConcurrentHashMap<>(),
        false);
  }

  private ConnectionLimitHandler(
      Config.Connections limits,
      Metrics metrics,
      AuditLog audit,
      FileDescriptors fds,
      AtomicInteger open,
      ConcurrentHashMap<InetAddress, AtomicInteger> perAddress,
      boolean mpd) {
    this.limits = limits;
    this.metrics = metrics;
    this.audit = audit;
    this.fds = fds;
    this.open = open;
    this.perAddress = perAddress;
    this.mpd = mpd;
  }

  /**
   * The same counts and bounds for MPD's port, refusing in MPD's form: {@code ACK [52@0] {}
   * too_many_connections: ...} instead of a greeting (an MPD client shows the message), then
   * closed.
   */
  public ConnectionLimitHandler forMpd() {
    return new ConnectionLimitHandler(limits, metrics, audit, fds, open, perAddress, true);
  }

  /** Connections open now (HTTP and WebSocket). */
  public int open() {
    return open.get();
  }

  /** The process's file descriptor limit, or -1 when unknown. */
  public long fdLimit() {
    return fds.limit();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress address =
        ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    String refusal = admit(address);
    if (audit != null) {
      audit.connection(
          String.valueOf(ctx.channel().localAddress()),
          String.valueOf(ctx.channel().remoteAddress()),
          refusal == null ? "" : "refused, " + refusal);
    }
    if (refusal != null) {
      metrics.refused(refusal.substring(0, refusal.indexOf(':')));
      if (mpd) {
        ctx.writeAndFlush(
                Unpooled.wrappedBuffer(
                    ("ACK [52@0] {} too_many_connections: "
                            + refusal.substring(refusal.indexOf(':') + 2)
                            + "\n")
                        .getBytes(StandardCharsets.US_ASCII)))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      String body =
          "{\"code\":\"too_many_connections\",\"message\":\""
              + refusal.substring(refusal.indexOf(':') + 2)
              + "\"}";
      String reply =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
              + "Connection: close\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n"
              + body;
      ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.getBytes(StandardCharsets.US_ASCII)))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.channel().closeFuture().addListener(f -> release(address));
    ctx.fireChannelActive();
  }

  /** Null when admitted (and counted), else {@code "reason: message"}. */
  private String admit(InetAddress address) {
    int n = open.incrementAndGet();
    if (n > limits.max()) {
      open.decrementAndGet();
      return "max_connections: " + limits.max() + " connections are open (--max-connections)";
    }
    if (address != null && !address.isLoopbackAddress()) {
      int mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
      if (mine > limits.maxPerAddress()) {
        release(address);
        return "max_connections_per_address: "
            + limits.maxPerAddress()
            + " connections from this address are open (--max-connections-per-address)";
      }
    }
    if (fds.free(n) < limits.fdReserve()) {
      release(address);
      return "fd_reserve: fewer than "
          + limits.fdReserve()
          + " file descriptors would stay free for the daemon (--fd-reserve)";
    }
    return null;
  }

  private void release(InetAddress address) {
    open.decrementAndGet();
    if (address != null && !address.isLoopbackAddress()) {
      perAddress.computeIfPresent(address, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
    }
  }
}
