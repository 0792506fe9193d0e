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

  /**
   * CRC-32 (polynomial 0x04C11DB7, MSB first, RFC 3533 section 6) by slicing: {@code CRC[k][b]} is
   * the register after byte {@code b} followed by {@code k} zero bytes, so eight bytes fold in one
   * step (the slicing-by-8 technique).
   */
  private static final int[][] CRC = new int[8][256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i << 24;
      for (int j = 0; j < 8; j++) {
        c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
      }
      CRC[0][i] = c;
    }
    for (int k = 1; k < 8; k++) {
      for (int i = 0; i < 256; i++) {
        int p = CRC[k - 1][i];
        CRC[k][i] = (p << 8) ^ CRC[0][p >>> 24];
      }
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
    int crc = crc32(0, buf, i, i + 22);
    for (int k = 0; k < 4; k++) {
      crc = (crc << 8) ^ CRC[0][crc >>> 24]; // the checksum field counts as zeros
    }
    crc = crc32(crc, buf, i + 26, i + total);
    return crc == le32(i + 22);
  }

  /** Continues the Ogg CRC-32 {@code crc} over {@code b[from, to)}. */
  static int crc32(int crc, byte[] b, int from, int to) {
    int[] t0 = CRC[0];
    int[] t1 = CRC[1];
    int[] t2 = CRC[2];
    int[] t3 = CRC[3];
    int[] t4 = CRC[4];
    int[] t5 = CRC[5];
    int[] t6 = CRC[6];
    int[] t7 = CRC[7];
    int c = crc;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      c ^= (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | b[i + 3] & 0xFF;
      c =
          t7[c >>> 24]
              ^ t6[(c >>> 16) & 0xFF]
              ^ t5[(c >>> 8) & 0xFF]
              ^ t4[c & 0xFF]
              ^ t3[b[i + 4] & 0xFF]
              ^ t2[b[i + 5] & 0xFF]
              ^ t1[b[i + 6] & 0xFF]
              ^ t0[b[i + 7] & 0xFF];
    }
    for (; i < to; i++) {
      c = (c << 8) ^ t0[((c >>> 24) ^ b[i]) & 0xFF];
    }
    return c;
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
