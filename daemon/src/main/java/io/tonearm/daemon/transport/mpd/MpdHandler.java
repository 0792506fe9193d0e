package io.tonearm.daemon.transport.mpd;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.tonearm.daemon.access.Principal;
import io.tonearm.daemon.mpd.AckException;
import io.tonearm.daemon.mpd.CommandLine;
import io.tonearm.daemon.mpd.IdleBus;
import io.tonearm.daemon.mpd.MpdService;
import io.tonearm.daemon.mpd.Reply;
import io.tonearm.daemon.mpd.Session;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MPD connection: the greeting, one command at a time in arrival order, command lists, {@code
 * idle}/{@code noidle}, and MPD's answers to misbehaving clients (closing on an over-long line, a
 * command during idle, an oversized command list, a malformed command word, unread output past the
 * bound).
 *
 * <p>Runs on its channel's event loop. Commands complete on domain threads and hop back here; while
 * one runs, or while the client is not reading its replies, no further line is processed, so a
 * connection holds at most one reply in memory besides what the socket has not taken.
 */
final class MpdHandler extends SimpleChannelInboundHandler<String> {

  private static final Logger log = LoggerFactory.getLogger(MpdHandler.class);

  private final MpdContext context;
  private final MpdService service;
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private int changed;
  private ChannelHandlerContext ctx;
  private Session session;
  private boolean busy;
  private boolean closing;
  private List<String> commandList;
  private boolean commandListOk;
  private int commandListBytes;
  private int idleMask;
  private ScheduledFuture<?> expiry;

  MpdHandler(MpdContext context) {
    this.context = context;
    this.service = context.service();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (context.connections().incrementAndGet() > context.maxConnections()) {
      log.debug("mpd: connection refused, {} open", context.maxConnections());
      ctx.close();
      return;
    }
    InetAddress from =
        ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    Principal start =
        context.trustLoopback() && from != null && from.isLoopbackAddress()
            ? Principal.LOOPBACK
            : Principal.ANONYMOUS;
    session = new Session("mpd:" + ctx.channel().remoteAddress(), from, start, this::bind);
    session.onMessage(() -> ctx.executor().execute(() -> changed(IdleBus.Subsystem.MESSAGE.bit())));
    context.idle().add(ctx.executor(), this);
    write(("OK MPD " + MpdService.PROTOCOL_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    context.connections().decrementAndGet();
    context.idle().remove(ctx.executor(), this);
    if (session != null) {
      service.closed(session);
    }
    closing = true;
    ctx.fireChannelInactive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, String line) {
    if (closing) {
      return;
    }
    lines.add(line);
    drain();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    drain();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && idleMask == 0 && !busy) {
      log.debug("mpd: {} timed out", session);
      closing = true;
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      log.debug("mpd: request line over {} bytes, closing", context.maxLineBytes());
    } else {
      log.debug("mpd: connection failed", cause);
    }
    closing = true;
    ctx.close();
  }

  /**
   * Ties this connection to {@code token}'s open connections (in place of the token it had) and
   * closes it when the token expires; revocation closes it through the token's sockets.
   */
  private boolean bind(Principal token) {
    Principal had = session.principal();
    if (!had.trusted() && had.tokenId().equals(token.tokenId())) {
      return true;
    }
    if (!context.tokenConnections().reserve(token.tokenId(), ctx.channel())) {
      return false;
    }
    if (!had.trusted()) {
      context.tokenConnections().release(had.tokenId(), ctx.channel());
    }
    if (expiry != null) {
      expiry.cancel(false);
      expiry = null;
    }
    if (token.expiresMs() > 0) {
      long in = Math.max(0, token.expiresMs() - System.currentTimeMillis());
      expiry =
          ctx.executor()
              .schedule(
                  () -> close("token '" + token.name() + "' expired"), in, TimeUnit.MILLISECONDS);
    }
    return true;
  }

  /** Subsystems changed: kept for the next {@code idle}, sent now if idling. Event loop only. */
  void changed(int mask) {
    changed |= mask;
    flushIdle();
  }

  private void drain() {
    while (!busy && !closing && !lines.isEmpty() && ctx.channel().isWritable()) {
      process(lines.poll());
    }
    ctx.channel().config().setAutoRead(!busy && ctx.channel().isWritable());
  }

  private void process(String raw) {
    String line = stripRight(raw);
    if (idleMask != 0) {
      if (line.equals("noidle")) {
        idleMask = 0;
        write("OK\n".getBytes(StandardCharsets.US_ASCII));
      } else {
        close("command during idle");
      }
      return;
    }
    if (line.equals("noidle")) {
      return; // not idling: the idle reply was already sent, nothing to answer
    }
    if (commandList != null) {
      if (line.equals("command_list_end")) {
        List<String> list = commandList;
        commandList = null;
        runList(list, commandListOk);
        return;
      }
      if (line.startsWith("idle") || line.startsWith("command_list_")) {
        close("not possible in a command list: " + line);
        return;
      }
      commandListBytes += line.length() + 1;
      if (commandListBytes > context.maxCommandListBytes()) {
        close("command list over " + context.maxCommandListBytes() + " bytes");
        return;
      }
      commandList.add(line);
      return;
    }
    if (line.equals("command_list_begin") || line.equals("command_list_ok_begin")) {
      commandList = new ArrayList<>();
      commandListOk = line.equals("command_list_ok_begin");
      commandListBytes = 0;
      return;
    }
    CommandLine cmd;
    try {
      cmd = CommandLine.parse(line);
    } catch (CommandLine.SyntaxException e) {
      write(ack(AckException.UNKNOWN, 0, "", e.getMessage()));
      if (e.badWord()) {
        close("not an MPD client");
      }
      return;
    }
    if (cmd.name().equals("idle")) {
      idle(cmd);
      return;
    }
    runList(List.of(line), false);
  }

  private void idle(CommandLine cmd) {
    try {
      service.admit("idle", session);
    } catch (AckException e) {
      write(ack(e.code(), 0, "idle", e.getMessage()));
      return;
    }
    int mask = 0;
    for (String a : cmd.args()) {
      IdleBus.Subsystem s = IdleBus.subsystem(a);
      if (s == null) {
        write(ack(AckException.ARG, 0, "idle", "Unrecognized idle event: " + a));
        return;
      }
      mask |= s.bit();
    }
    idleMask = mask == 0 ? IdleBus.ALL : mask;
    flushIdle();
  }

  private void flushIdle() {
    if (closing || idleMask == 0) {
      return;
    }
    int got = changed & idleMask;
    if (got == 0) {
      return;
    }
    changed = 0;
    StringBuilder sb = new StringBuilder();
    for (String n : IdleBus.names(got)) {
      sb.append("changed: ").append(n).append('\n');
    }
    sb.append("OK\n");
    idleMask = 0;
    write(sb.toString().getBytes(StandardCharsets.UTF_8));
    drain();
  }

  /** Runs a command list (one line for a single command) and sends one reply for all of it. */
  private void runList(List<String> list, boolean okMode) {
    busy = true;
    ctx.channel().config().setAutoRead(false);
    Reply reply = new Reply();
    step(list, 0, okMode, reply);
  }

  private void step(List<String> list, int i, boolean okMode, Reply reply) {
    if (i == list.size()) {
      reply.line("OK");
      finish(reply);
      return;
    }
    CommandLine cmd;
    try {
      cmd = CommandLine.parse(stripRight(list.get(i)));
    } catch (CommandLine.SyntaxException e) {
      reply.line(ackLine(AckException.UNKNOWN, i, "", e.getMessage()));
      finish(reply);
      return;
    }
    service
        .execute(cmd, reply, session)
        .whenComplete(
            (ok, err) ->
                ctx.executor()
                    .execute(
                        () -> {
                          if (err != null) {
                            AckException a = MpdService.ack(err);
                            String name = service.known(cmd.name()) ? cmd.name() : "";
                            reply.line(ackLine(a.code(), i, name, a.getMessage()));
                            finish(reply);
                          } else if (session.closeRequested()) {
                            finish(reply);
                            close("client closed");
                          } else if (reply.size() > context.maxOutputBytes()) {
                            close("reply over " + context.maxOutputBytes() + " bytes");
                          } else {
                            if (okMode) {
                              reply.line("list_OK");
                            }
                            step(list, i + 1, okMode, reply);
                          }
                        }));
  }

  private void finish(Reply reply) {
    busy = false;
    if (!closing) {
      List<byte[]> chunks = reply.chunks();
      write(
          chunks.size() == 1
              ? Unpooled.wrappedBuffer(chunks.get(0))
              : Unpooled.wrappedBuffer(chunks.toArray(new byte[0][])));
    }
    drain();
  }

  private void write(byte[] bytes) {
    write(Unpooled.wrappedBuffer(bytes));
  }

  /** Sends {@code buf} (the shared arrays of a reply are wrapped, not copied). */
  private void write(io.netty.buffer.ByteBuf buf) {
    if (closing) {
      buf.release();
      return;
    }
    ctx.writeAndFlush(buf);
    ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
    if (out != null && out.totalPendingWriteBytes() > context.maxOutputBytes()) {
      close("client does not read: over " + context.maxOutputBytes() + " bytes unsent");
    }
  }

  private void close(String why) {
    log.debug("mpd: closing {}: {}", session, why);
    closing = true;
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  private static String ackLine(int code, int index, String command, String message) {
    return "ACK [" + code + "@" + index + "] {" + command + "} " + message;
  }

  private static byte[] ack(int code, int index, String command, String message) {
    return (ackLine(code, index, command, message) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String stripRight(String s) {
    int n = s.length();
    while (n > 0 && s.charAt(n - 1) <= ' ') {
      n--;
    }
    return n == s.length() ? s : s.substring(0, n);
  }
}
