package io.tonearm.daemon.encode;

import java.util.Arrays;

/**
 * A growable byte buffer an encoder appends its output to; the caller reads {@link #array()} up to
 * {@link #size()} and then {@link #clear()}s it. Not thread-safe.
 */
public final class ByteSink {

  private byte[] buf;
  private int size;

  public ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /** The bytes, valid up to {@link #size()}; the array changes when the sink grows. */
  public byte[] array() {
    return buf;
  }

  public int size() {
    return size;
  }

  public void clear() {
    size = 0;
  }

  /** Makes room for {@code more} bytes after {@link #size()}. */
  void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }

  void put(byte b) {
    ensure(1);
    buf[size++] = b;
  }

  void put(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  /** Advances the size after a caller wrote {@code n} bytes into {@link #array()} at size. */
  void grow(int n) {
    size += n;
  }
}
