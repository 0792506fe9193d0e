package io.tonearm.daemon.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;

/**
 * A ready-made frame sent to an epoll socket with one {@code send(2)}, not through Netty's outbound
 * buffer, when nothing waits in that buffer: the fan-out's common case, one frame per socket and
 * tick. Netty's write and flush for that one buffer (the pipeline's head, an outbound entry, the
 * pending-bytes and writability bookkeeping, the flush's walk, the entry's removal) were 16 % of
 * the I/O loops' samples with 1,000 sockets at 60 fps, three quarters of what was not the kernel's.
 * The bytes, and their order, are the same: a send the socket takes only in part leaves the rest
 * for the pipeline, which then queues it and waits for the socket to drain as before. Confined to
 * the channel's event loop.
 */
public final class DirectSend {

  private final Channel channel;
  private final Socket socket;

  private DirectSend(Channel channel, Socket socket) {
    this.channel = channel;
    this.socket = socket;
  }

  /**
   * Direct sends on {@code channel}, whose ready-made frames are written at {@code first}; null
   * when its writes must pass a handler (TLS) or it is not an epoll socket (io_uring completes its
   * writes on its ring, NIO and the tests' embedded channels have no descriptor).
   */
  static DirectSend of(Channel channel, ChannelHandlerContext first) {
    if (channel instanceof EpollSocketChannel epoll
        && first == channel.pipeline().firstContext()
        && epoll.fd() instanceof Socket s) {
      return new DirectSend(channel, s);
    }
    return null;
  }

  /**
   * Direct sends on {@code channel} for a writer whose outbound handlers in front of it leave a
   * buffer as it is (the HTTP reply encoder without TLS: the connection limit and the read-idle
   * timer do nothing to a write); null when it is not an epoll socket.
   */
  public static DirectSend unfiltered(Channel channel) {
    if (channel instanceof EpollSocketChannel epoll && epoll.fd() instanceof Socket s) {
      return new DirectSend(channel, s);
    }
    return null;
  }

  /**
   * Sends what the socket takes of {@code b} now, if nothing is queued in front of it. True: all of
   * it went and {@code b} is released. False: {@code b} (its reader index past what went, if any)
   * is still the caller's to write through the pipeline; so also when the socket is closed, shut
   * for sending or failing, where the pipeline's write meets the error and handles it as usual.
   */
  public boolean send(ByteBuf b) {
    int sent = send(b, b.readerIndex(), b.writerIndex());
    if (sent == b.readableBytes()) {
      b.release();
      return true;
    }
    b.skipBytes(sent);
    return false;
  }

  /**
   * Sends what the socket takes of bytes {@code [from, to)} of {@code shared} now, if nothing is
   * queued in front of it, and returns how many went (0 when none could: something is queued, the
   * socket is full, closed, shut for sending or failing, or the buffer has no address). Neither
   * {@code shared}'s indices nor its reference count change: a fan-out pass sends its one buffer of
   * frames to each socket this way, with no retained slice per socket for a send that completes at
   * once, and writes a slice of the rest through the pipeline only when not all of it went.
   */
  int send(ByteBuf shared, int from, int to) {
    ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
    if (queued == null
        || queued.totalPendingWriteBytes() != 0
        || !shared.hasMemoryAddress()
        || !channel.isActive()
        || ((EpollSocketChannel) channel).isOutputShutdown()) {
      return 0;
    }
    try {
      return Math.max(0, socket.sendAddress(shared.memoryAddress(), from, to));
    } catch (IOException e) {
      return 0;
    }
  }
}
