package io.tonearm.daemon.decode;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Big-endian bit reader over a file, for FLAC frames. Keeps a running CRC-16 of every byte it
 * consumes (FLAC's frame footer checksum) and never fetches a byte before a read needs it, so at a
 * byte boundary the CRC covers exactly the bytes read.
 */
final class FlacBitReader {

  private static final int[] CRC16 = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i << 8;
      for (int j = 0; j < 8; j++) {
        c = (c & 0x8000) != 0 ? (c << 1) ^ 0x8005 : c << 1;
      }
      CRC16[i] = c & 0xFFFF;
    }
  }

  private final FileChannel channel;
  private final byte[] buf = new byte[1 << 16];
  private final ByteBuffer wrapped = ByteBuffer.wrap(buf);
  private long bufStart; // file offset of buf[0]
  private int pos;
  private int limit;
  private long cache;
  private int cacheBits;
  private int crc16;

  FlacBitReader(FileChannel channel) {
    this.channel = channel;
  }

  /** Moves to a byte offset in the file, dropping buffered bits. */
  void position(long offset) {
    bufStart = offset;
    pos = 0;
    limit = 0;
    cacheBits = 0;
  }

  /** File offset of the next unread byte; only meaningful at a byte boundary. */
  long bytePosition() {
    return bufStart + pos - cacheBits / 8;
  }

  /**
   * Makes at least {@code n} unread bytes visible through {@link #buffer()} from {@link
   * #bufferPos()}, unless the file ends first; returns how many are visible. Only at a byte
   * boundary.
   */
  int peek(int n) throws IOException {
    alignToByte();
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

  /** Consumes {@code n} already peeked bytes, feeding them to the CRC-16. */
  void skipPeeked(int n) {
    for (int i = 0; i < n; i++) {
      crc16 = ((crc16 << 8) ^ CRC16[((crc16 >>> 8) ^ buf[pos++]) & 0xFF]) & 0xFFFF;
    }
  }

  void resetCrc16() {
    crc16 = 0;
  }

  int crc16() {
    return crc16;
  }

  private void fill(int need) throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      bufStart += pos;
      limit -= pos;
      pos = 0;
    }
    while (limit < need) {
      wrapped.limit(buf.length).position(limit);
      int n = channel.read(wrapped, bufStart + limit);
      if (n <= 0) {
        return;
      }
      limit += n;
    }
  }

  private int nextByte() throws IOException {
    if (pos == limit) {
      fill(Math.min(buf.length, 4096));
      if (pos == limit) {
        throw new EOFException("FLAC stream ends inside a frame");
      }
    }
    int b = buf[pos++] & 0xFF;
    crc16 = ((crc16 << 8) ^ CRC16[(crc16 >>> 8) ^ b]) & 0xFFFF;
    return b;
  }

  /** Reads {@code n} (0..32) bits as an unsigned value. */
  long readBits(int n) throws IOException {
    if (n == 0) {
      return 0;
    }
    while (cacheBits < n) {
      cache = (cache << 8) | nextByte();
      cacheBits += 8;
    }
    cacheBits -= n;
    return (cache >>> cacheBits) & ((1L << n) - 1);
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
        cache = nextByte();
        cacheBits = 8;
      }
      long bits = cache & ((1L << cacheBits) - 1);
      if (bits == 0) {
        count += cacheBits;
        cacheBits = 0;
        if (count > (1 << 24)) {
          throw new IOException("corrupt FLAC residual: runaway unary code");
        }
        continue;
      }
      int zeros = Long.numberOfLeadingZeros(bits) - (64 - cacheBits);
      count += zeros;
      cacheBits -= zeros + 1;
      return count;
    }
  }

  /** Reads a Rice-coded signed residual with parameter {@code k}. */
  int readRice(int k) throws IOException {
    long u = ((long) readUnary() << k) | readBits(k);
    return (int) ((u >>> 1) ^ -(u & 1));
  }

  void alignToByte() {
    cacheBits -= cacheBits & 7;
  }
}
