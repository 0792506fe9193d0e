package io.tonearm.daemon.decode;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional reads of file headers, shared by the decoders that parse their own containers. */
final class ChannelReads {
  private ChannelReads() {}

  /**
   * Fills {@code dst} from {@code at} (the buffer's position is added to it).
   *
   * @throws EOFException naming {@code what} when the file ends first
   */
  static void readFully(FileChannel channel, ByteBuffer dst, long at, String what)
      throws IOException {
    while (dst.hasRemaining()) {
      if (channel.read(dst, at + dst.position()) < 0) {
        throw new EOFException("unexpected end of file in " + what);
      }
    }
  }
}
