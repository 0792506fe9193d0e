package io.tonearm.daemon.transport.ws;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;

/**
 * What follows a close frame the daemon sends: only the sending half of the TCP connection is shut
 * (RFC 6455 section 7.1.1: the server closes first), while what the client still sends is read and
 * dropped until its own close frame or the caller's one-second cut. Closing both halves at once
 * made the kernel answer the client's in-flight frames with a reset, and a reset makes the client's
 * TCP drop the close frame it had not read yet: the client saw an error, not the code (4008 after a
 * command flood, 1002 after a bad frame).
 */
final class HalfClose implements ChannelFutureListener {

  static final HalfClose AFTER_WRITE = new HalfClose();

  private HalfClose() {}

  @Override
  public void operationComplete(ChannelFuture f) {
    if (f.isSuccess() && f.channel() instanceof DuplexChannel d && d.isActive()) {
      d.shutdownOutput();
    } else {
      f.channel().close();
    }
  }
}
