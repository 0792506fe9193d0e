package io.tonearm.daemon.decode;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Big-endian bit reader over a file, for FLAC frames. Bits come from a 64-bit cache filled from a
 * 64 KiB buffer, so most reads are a shift. The CRC-16 of FLAC's frame footer is kept over the
 * bytes consumed so far, but computed lazily in bulk (when the buffer is refilled or the CRC is
 * asked for) rather than per byte; bytes already in the cache but not consumed are not part of it,
 * so at a byte boundary the CRC covers exactly the bytes read.
 *
 * <p>The daemon runs with C1 only (the README's {@code -XX:TieredStopAtLevel=1}), which in JDK 17
 * does not make {@link Long#numberOfLeadingZeros} or a byte-array {@code VarHandle} view into
 * single instructions: the Rice loop finds the leading zeros of the cache's top byte in a table and
 * fills the cache four bytes at a time by hand (measured: a third less decoding CPU under C1).
 */
final class FlacBitReader {

  /**
   * {@code LEADING_ZEROS[b]}: the zero bits above the highest one bit of byte {@code b} (8 for 0).
   */
  private static final byte[] LEADING_ZEROS = new byte[256];

  static {
    for (int b = 0; b < 256; b++) {
      LEADING_ZEROS[b] = (byte) (Integer.numberOfLeadingZeros(b) - 24);
    }
  }

  /**
   * CRC-16 (polynomial 0x8005, MSB first) by slicing: {@code CRC16[k][b]} is the register after
   * byte {@code b} followed by {@code k} zero bytes, so eight bytes fold in one step (the
   * slicing-by-8 technique, as libFLAC's crc.c also uses).
   */
  private static final int[][] CRC16 = new int[8][256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i << 8;
      for (int j = 0; j < 8; j++) {
        c = (c & 0x8000) != 0 ? (c << 1) ^ 0x8005 : c << 1;
      }
      CRC16[0][i] = c & 0xFFFF;
    }
    for (int k = 1; k < 8; k++) {
      for (int i = 0; i < 256; i++) {
        int p = CRC16[k - 1][i];
        CRC16[k][i] = ((p << 8) ^ CRC16[0][p >>> 8]) & 0xFFFF;
      }
    }
  }

  private final FileChannel channel;
  private final byte[] buf = new byte[1 << 16];
  private final ByteBuffer wrapped = ByteBuffer.wrap(buf);
  private long bufStart; // file offset of buf[0]
  private int pos; // next byte of buf to move into the cache
  private int limit;

  /** Unread bits, left-aligned: the next bit is bit 63; bits below the count are zero. */
  private long cache;

  private int cacheBits;
  private int crc16;
  private int crcPos; // buf index up to which crc16 is computed

  FlacBitReader(FileChannel channel) {
    this.channel = channel;
  }

  /** Moves to a byte offset in the file, dropping buffered bits. */
  void position(long offset) {
    bufStart = offset;
    pos = 0;
    limit = 0;
    cache = 0;
    cacheBits = 0;
    crcPos = 0;
  }

  /** File offset of the next unread byte; only meaningful at a byte boundary. */
  long bytePosition() {
    return bufStart + consumed();
  }

  /** Index in buf just past the last byte of which any bit was read. */
  private int consumed() {
    return pos - (cacheBits >>> 3);
  }

  /**
   * Makes at least {@code n} unread bytes visible through {@link #buffer()} from {@link
   * #bufferPos()}, unless the file ends first; returns how many are visible. Only at a byte
   * boundary.
   */
  int peek(int n) throws IOException {
    alignToByte();
    pos -= cacheBits >>> 3; // hand the cached whole bytes back to the buffer
    cache = 0;
    cacheBits = 0;
    if (limit - pos < n) {
      fill(n);
    }
    return limit - pos;
  }

  byte[] buffer() {
    return buf;
  }

  int bufferPos() {
    return pos;
  }

  /** Consumes {@code n} already peeked bytes (they count towards the CRC-16). */
  void skipPeeked(int n) {
    pos += n;
  }

  /** Starts the CRC-16 at the next unread byte. Only at a byte boundary. */
  void resetCrc16() {
    crc16 = 0;
    crcPos = consumed();
  }

  /** The CRC-16 of the bytes read since {@link #resetCrc16}. Only at a byte boundary. */
  int crc16() {
    foldCrc(consumed());
    return crc16;
  }

  private void foldCrc(int end) {
    crc16 = crc16(crc16, buf, crcPos, end);
    crcPos = end;
  }

  /** Continues the CRC-16 {@code crc} over {@code b[from, to)}. */
  static int crc16(int crc, byte[] b, int from, int to) {
    int[] t0 = CRC16[0];
    int[] t1 = CRC16[1];
    int[] t2 = CRC16[2];
    int[] t3 = CRC16[3];
    int[] t4 = CRC16[4];
    int[] t5 = CRC16[5];
    int[] t6 = CRC16[6];
    int[] t7 = CRC16[7];
    int c = crc;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      c ^= (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
      c =
          t7[c >>> 8]
              ^ t6[c & 0xFF]
              ^ t5[b[i + 2] & 0xFF]
              ^ t4[b[i + 3] & 0xFF]
              ^ t3[b[i + 4] & 0xFF]
              ^ t2[b[i + 5] & 0xFF]
              ^ t1[b[i + 6] & 0xFF]
              ^ t0[b[i + 7] & 0xFF];
    }
    for (; i < to; i++) {
      c = ((c << 8) ^ t0[((c >>> 8) ^ b[i]) & 0xFF]) & 0xFFFF;
    }
    return c;
  }

  /** Makes {@code need} bytes from {@link #pos} present if the file has them. */
  private void fill(int need) throws IOException {
    int keep = consumed(); // everything before it is folded into the CRC and can go
    foldCrc(keep);
    if (keep > 0) {
      System.arraycopy(buf, keep, buf, 0, limit - keep);
      bufStart += keep;
      limit -= keep;
      pos -= keep;
      crcPos = 0;
    }
    while (limit - pos < need) {
      wrapped.limit(buf.length).position(limit);
      int n = channel.read(wrapped, bufStart + limit);
      if (n <= 0) {
        return;
      }
      limit += n;
    }
  }

  /** Tops the cache up to at least 57 bits, or to what the file still has. */
  private void refill() throws IOException {
    while (cacheBits <= 56) {
      if (pos == limit) {
        fill(1);
        if (pos == limit) {
          return;
        }
      }
      cache |= (buf[pos++] & 0xFFL) << (56 - cacheBits);
      cacheBits += 8;
    }
  }

  /** Reads {@code n} (0..32) bits as an unsigned value. */
  long readBits(int n) throws IOException {
    if (n == 0) {
      return 0;
    }
    if (cacheBits < n) {
      refill();
      if (cacheBits < n) {
        throw new EOFException("FLAC stream ends inside a frame");
      }
    }
    long v = cache >>> (64 - n);
    cache <<= n;
    cacheBits -= n;
    return v;
  }

  int readUInt(int n) throws IOException {
    return (int) readBits(n);
  }

  /** Reads {@code n} (1..32) bits as a two's complement value. */
  int readSigned(int n) throws IOException {
    long v = readBits(n);
    return (int) ((v << (64 - n)) >> (64 - n));
  }

  /** Counts zero bits up to the next one bit, consuming both. */
  int readUnary() throws IOException {
    int count = 0;
    while (true) {
      if (cacheBits == 0) {
        refill();
        if (cacheBits == 0) {
          throw new EOFException("FLAC stream ends inside a frame");
        }
      }
      int zeros = Long.numberOfLeadingZeros(cache);
      if (zeros < cacheBits) {
        cache = (cache << zeros) << 1; // two shifts: a shift by 64 would be none
        cacheBits -= zeros + 1;
        return count + zeros;
      }
      count += cacheBits;
      cache = 0;
      cacheBits = 0;
      if (count > (1 << 24)) {
        throw new IOException("corrupt FLAC residual: runaway unary code");
      }
    }
  }

  /** Reads a Rice-coded signed residual with parameter {@code k} (0..30). */
  int readRice(int k) throws IOException {
    long u = ((long) readUnary() << k) | readBits(k);
    return (int) ((u >>> 1) ^ -(u & 1));
  }

  /**
   * Reads Rice-coded signed residuals with parameter {@code k} (0..30) into {@code out[from, to)}:
   * the partition loop of every predicted subframe, kept in locals. The cache is topped up four
   * bytes at a time when it holds fewer than 32 bits; a code whose unary part starts past the
   * cache's top byte, or that does not fit in the cache, takes the general path.
   */
  void readRice(int[] out, int from, int to, int k) throws IOException {
    byte[] b = buf;
    long c = cache;
    int bits = cacheBits;
    int p = pos;
    for (int i = from; i < to; i++) {
      if (bits < 32) {
        if (limit - p >= 4) {
          long word =
              (long) (b[p] & 0xFF) << 24
                  | (b[p + 1] & 0xFF) << 16
                  | (b[p + 2] & 0xFF) << 8
                  | (b[p + 3] & 0xFF);
          c |= word << (32 - bits);
          bits += 32;
          p += 4;
        } else {
          cache = c;
          cacheBits = bits;
          pos = p;
          refill(); // near the buffer's end: may move the buffer's contents
          c = cache;
          bits = cacheBits;
          p = pos;
        }
      }
      int top = (int) (c >>> 56);
      int q = LEADING_ZEROS[top];
      int used = q + 1 + k;
      if (top != 0 && used <= bits) {
        c <<= q + 1; // at most 8
        long u = ((long) q << k) | (k == 0 ? 0 : c >>> (64 - k));
        c = k == 0 ? c : c << k;
        bits -= used;
        out[i] = (int) ((u >>> 1) ^ -(u & 1));
      } else {
        cache = c;
        cacheBits = bits;
        pos = p;
        out[i] = readRice(k);
        c = cache;
        bits = cacheBits;
        p = pos;
      }
    }
    cache = c;
    cacheBits = bits;
    pos = p;
  }

  void alignToByte() {
    int drop = cacheBits & 7;
    cache <<= drop;
    cacheBits -= drop;
  }
}
