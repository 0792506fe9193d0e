package io.tonearm.daemon.output;

/**
 * A single-producer single-consumer ring of bytes with a fixed capacity. The producer never blocks:
 * {@link #offer} refuses what does not fit. Neither side locks or allocates.
 */
final class ByteRing {

  private final byte[] data;
  private volatile long written;
  private volatile long read;

  ByteRing(int capacity) {
    data = new byte[capacity];
  }

  int capacity() {
    return data.length;
  }

  /** Bytes waiting to be read. */
  int available() {
    return (int) (written - read);
  }

  /** Appends all of {@code len} bytes, or nothing (returning false) when they do not fit. */
  boolean offer(byte[] src, int off, int len) {
    long w = written;
    if (data.length - (int) (w - read) < len) {
      return false;
    }
    int at = (int) (w % data.length);
    int first = Math.min(len, data.length - at);
    System.arraycopy(src, off, data, at, first);
    System.arraycopy(src, off + first, data, 0, len - first);
    written = w + len;
    return true;
  }

  /** Copies up to {@code len} waiting bytes into {@code dst} without consuming them. */
  int peek(byte[] dst, int len) {
    long r = read;
    int n = Math.min(len, (int) (written - r));
    int at = (int) (r % data.length);
    int first = Math.min(n, data.length - at);
    System.arraycopy(data, at, dst, 0, first);
    System.arraycopy(data, 0, dst, first, n - first);
    return n;
  }

  /** Consumes {@code n} bytes that were peeked. */
  void skip(int n) {
    read = read + n;
  }
}
