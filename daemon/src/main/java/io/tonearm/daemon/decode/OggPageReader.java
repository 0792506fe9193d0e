package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads Ogg pages (RFC 3533) from a file: finds the capture pattern, checks the CRC-32, and holds
 * the current page's header fields and body. A page that fails its checksum is skipped, as the
 * format intends, by searching for the next capture pattern.
 */
final class OggPageReader {

  static final int FLAG_CONTINUED = 1;
  static final int FLAG_BOS = 2;
  static final int FLAG_EOS = 4;

  private static final int[] CRC = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i << 24;
      for (int j = 0; j < 8; j++) {
        c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
      }
      CRC[i] = c;
    }
  }

  private final FileChannel channel;
  private final byte[] buf = new byte[1 << 16];
  private final ByteBuffer wrapped = ByteBuffer.wrap(buf);
  private long bufStart;
  private int bufLen;
  private long next; // file offset where the next page search starts

  // The current page.
  long offset;
  int flags;
  long granule;
  int serial;
  int segments;
  final int[] lacing = new int[255];
  final byte[] body = new byte[255 * 255];
  int bodyLength;

  OggPageReader(FileChannel channel) {
    this.channel = channel;
  }

  /** Makes the next page search start at {@code at}. */
  void position(long at) {
    next = at;
  }

  /** File offset just past the current page. */
  long end() {
    return next;
  }

  /**
   * Reads the first valid page at or after the search position, scanning at most {@code maxScan}
   * bytes for a capture pattern; false when none is found (end of file or only junk).
   */
  boolean nextPage(long maxScan) throws IOException {
    long at = next;
    long limit = at + maxScan;
    while (at < limit) {
      if (!ensure(at, 27)) {
        return false;
      }
      int i = (int) (at - bufStart);
      if (buf[i] != 'O'
          || buf[i + 1] != 'g'
          || buf[i + 2] != 'g'
          || buf[i + 3] != 'S'
          || buf[i + 4] != 0) {
        at++;
        continue;
      }
      int segs = buf[i + 26] & 0xFF;
      if (!ensure(at, 27 + segs)) {
        return false;
      }
      i = (int) (at - bufStart);
      int len = 0;
      for (int s = 0; s < segs; s++) {
        len += buf[i + 27 + s] & 0xFF;
      }
      int total = 27 + segs + len;
      if (!ensure(at, total)) {
        return false;
      }
      i = (int) (at - bufStart);
      if (!crcMatches(i, total)) {
        at++;
        continue;
      }
      offset = at;
      flags = buf[i + 5] & 0xFF;
      granule = (le32(i + 6) & 0xFFFFFFFFL) | ((long) le32(i + 10) << 32);
      serial = le32(i + 14);
      segments = segs;
      for (int s = 0; s < segs; s++) {
        lacing[s] = buf[i + 27 + s] & 0xFF;
      }
      System.arraycopy(buf, i + 27 + segs, body, 0, len);
      bodyLength = len;
      next = at + total;
      return true;
    }
    next = at;
    return false;
  }

  private int le32(int i) {
    return (buf[i] & 0xFF)
        | (buf[i + 1] & 0xFF) << 8
        | (buf[i + 2] & 0xFF) << 16
        | buf[i + 3] << 24;
  }

  private boolean crcMatches(int i, int total) {
    int crc = 0;
    for (int k = 0; k < total; k++) {
      int b = (k >= 22 && k < 26) ? 0 : buf[i + k] & 0xFF;
      crc = (crc << 8) ^ CRC[((crc >>> 24) ^ b) & 0xFF];
    }
    return crc == le32(i + 22);
  }

  /** Makes file bytes [at, at + n) present in the buffer; false if the file ends first. */
  private boolean ensure(long at, int n) throws IOException {
    if (at >= bufStart && at + n <= bufStart + bufLen) {
      return true;
    }
    bufStart = at;
    bufLen = 0;
    wrapped.clear();
    while (bufLen < buf.length) {
      int r = channel.read(wrapped, at + bufLen);
      if (r <= 0) {
        break;
      }
      bufLen += r;
    }
    return n <= bufLen;
  }
}
