package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Finds where audio starts behind a leading ID3v2 tag (ID3v2.4 section 3.1). */
final class Id3v2 {

  private Id3v2() {}

  /** Length of the ID3v2 tag at the start of {@code b} (footer included), or 0 when none. */
  static long length(byte[] b, int n) {
    if (n < 10 || b[0] != 'I' || b[1] != 'D' || b[2] != '3') {
      return 0;
    }
    long size =
        ((b[6] & 0x7FL) << 21) | ((b[7] & 0x7FL) << 14) | ((b[8] & 0x7FL) << 7) | (b[9] & 0x7FL);
    return 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0);
  }

  /** Offset of the first byte after any leading ID3v2 tags of the file. */
  static long skip(FileChannel channel) throws IOException {
    long at = 0;
    ByteBuffer head = ByteBuffer.allocate(10);
    for (int tags = 0; tags < 16; tags++) {
      head.clear();
      while (head.hasRemaining() && channel.read(head, at + head.position()) > 0) {
        // keep reading
      }
      long len = length(head.array(), head.position());
      if (len == 0) {
        return at;
      }
      at += len;
    }
    return at;
  }
}
