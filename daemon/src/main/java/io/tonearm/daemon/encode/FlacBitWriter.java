package io.tonearm.daemon.encode;

import java.util.Arrays;

/**
 * Big-endian bit writer for FLAC frames (RFC 9639): values most significant bit first, unary and
 * Rice codes, and the frame's CRC-8 and CRC-16. Not thread-safe.
 */
final class FlacBitWriter {

  private static final int[] CRC8 = new int[256];
  private static final int[] CRC16 = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int c8 = i;
      int c16 = i << 8;
      for (int b = 0; b < 8; b++) {
        c8 = (c8 & 0x80) != 0 ? (c8 << 1) ^ 0x07 : c8 << 1;
        c16 = (c16 & 0x8000) != 0 ? (c16 << 1) ^ 0x8005 : c16 << 1;
      }
      CRC8[i] = c8 & 0xFF;
      CRC16[i] = c16 & 0xFFFF;
    }
  }

  private byte[] buf = new byte[8192];
  private int pos; // bytes completed
  private long acc; // pending bits, right-aligned
  private int nacc; // pending bit count (< 8 between calls)

  void reset() {
    pos = 0;
    acc = 0;
    nacc = 0;
  }

  /** Writes the low {@code n} bits of {@code v} (n <= 32). */
  void bits(long v, int n) {
    if (n == 0) {
      return;
    }
    acc = (acc << n) | (v & ((1L << n) - 1));
    nacc += n;
    while (nacc >= 8) {
      nacc -= 8;
      put((byte) (acc >>> nacc));
    }
  }

  /** {@code q} zero bits then a one. */
  void unary(int q) {
    while (q >= 32) {
      bits(0, 32);
      q -= 32;
    }
    bits(1, q + 1);
  }

  /** A folded residual {@code u} with Rice parameter {@code k}. */
  void rice(int u, int k) {
    unary(u >>> k);
    bits(u, k);
  }

  /** Zero bits up to the next byte boundary. */
  void align() {
    if (nacc > 0) {
      bits(0, 8 - nacc);
    }
  }

  private void put(byte b) {
    if (pos == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    buf[pos++] = b;
  }

  /** Bytes completed so far (call after {@link #align}). */
  int length() {
    return pos;
  }

  byte[] array() {
    return buf;
  }

  /** CRC-8 (polynomial 0x07) of bytes [from, to). */
  int crc8(int from, int to) {
    int c = 0;
    for (int i = from; i < to; i++) {
      c = CRC8[(c ^ buf[i]) & 0xFF];
    }
    return c;
  }

  /** CRC-16 (polynomial 0x8005) of bytes [from, to). */
  int crc16(int from, int to) {
    int c = 0;
    for (int i = from; i < to; i++) {
      c = ((c << 8) ^ CRC16[((c >>> 8) ^ buf[i]) & 0xFF]) & 0xFFFF;
    }
    return c;
  }
}
