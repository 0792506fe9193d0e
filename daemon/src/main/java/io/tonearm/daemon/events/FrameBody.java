package io.tonearm.daemon.events;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A frame's body message written straight in protobuf's binary wire format into a reused array, for
 * the large frames (spectra, waveforms) that would otherwise be built value by value into message
 * builders, then sized and encoded field by field. The writer of a body writes its fields in
 * field-number order and leaves out fields at their default values, as protobuf's own encoder does,
 * so the bytes are the ones {@code toByteArray} of the same message gives. One per ticker thread;
 * not thread-safe.
 */
public final class FrameBody {

  /** Wire type of varints. */
  public static final int VARINT = 0;

  /** Wire type of length-delimited fields: messages, strings, bytes, packed repeated fields. */
  public static final int LEN = 2;

  /** Wire type of 32-bit fields ({@code float}, {@code fixed32}). */
  public static final int I32 = 5;

  private byte[] buf = new byte[4096];
  private int length;

  /**
   * Little-endian float views of {@link #buf}, one per byte offset modulo 4 (view {@code k} starts
   * at byte {@code k}), made again when the array grows: a run of floats at any byte offset goes in
   * with one bulk copy (a memory copy in the JDK) instead of four byte stores per value, which the
   * quick JIT compiler the daemon runs with keeps with their bounds checks.
   */
  private final FloatBuffer[] floatViews = new FloatBuffer[4];

  private byte[] viewsOf;

  /** Empties it for the next frame (the array is kept). */
  public void reset() {
    length = 0;
  }

  /** Bytes written so far. */
  public int length() {
    return length;
  }

  /**
   * The array the bytes are in ({@code [0, length())}); valid until the next write that grows it.
   */
  public byte[] array() {
    return buf;
  }

  /**
   * Makes room for {@code n} bytes written by the caller into {@link #array} from the returned
   * index on, and counts them as written.
   */
  public int reserve(int n) {
    int at = length;
    if (buf.length - at < n) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + n));
    }
    length = at + n;
    return at;
  }

  /** A field's key: {@code field << 3 | wireType}. */
  public void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  /** A base-128 varint of {@code v} read as unsigned (negative values take ten bytes). */
  public void varint(long v) {
    int at = reserve(varintSize(v));
    byte[] b = buf;
    while ((v & ~0x7FL) != 0) {
      b[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[at] = (byte) v;
  }

  /** An {@code int64} or {@code uint64} field; nothing when 0 (proto3's default). */
  public void int64(int field, long v) {
    if (v != 0) {
      tag(field, VARINT);
      varint(v);
    }
  }

  /** A {@code uint32} field; nothing when 0. */
  public void uint32(int field, int v) {
    if (v != 0) {
      tag(field, VARINT);
      varint(v & 0xFFFF_FFFFL);
    }
  }

  /**
   * A {@code float} field; nothing when its bits are 0 (+0.0; -0.0 is written, as protobuf does).
   */
  public void float32(int field, float v) {
    int x = Float.floatToRawIntBits(v);
    if (x != 0) {
      tag(field, I32);
      int at = reserve(4); // before naming buf: it may grow
      putIntLe(buf, at, x);
    }
  }

  /** Bytes of a {@code float} field of {@link #float32}: 0 or 5 (fields 1..15). */
  public static int float32Size(float v) {
    return Float.floatToRawIntBits(v) == 0 ? 0 : 5;
  }

  /** A {@code bool} field; nothing when false. */
  public void bool(int field, boolean v) {
    if (v) {
      tag(field, VARINT);
      varint(1);
    }
  }

  /** A length-delimited field of {@code bytes[0, n)}, written even when empty. */
  public void bytes(int field, byte[] bytes, int n) {
    tag(field, LEN);
    varint(n);
    int at = reserve(n); // before naming buf: it may grow
    System.arraycopy(bytes, 0, buf, at, n);
  }

  /**
   * A packed {@code repeated float} field of {@code v[0, n)}, little-endian IEEE 754 bits as
   * protobuf writes them; nothing when {@code n} is 0.
   */
  public void floats(int field, float[] v, int n) {
    if (n == 0) {
      return;
    }
    tag(field, LEN);
    varint(4L * n);
    putFloats(reserve(4 * n), v, n);
  }

  /**
   * Puts {@code v[0, n)} into {@link #array} from byte {@code at} on (already {@link #reserve}d),
   * each as its little-endian IEEE 754 bits ({@link Float#floatToRawIntBits}, as {@link #putIntLe}
   * of them would).
   */
  public void putFloats(int at, float[] v, int n) {
    if (viewsOf != buf) {
      for (int k = 0; k < 4; k++) {
        floatViews[k] =
            ByteBuffer.wrap(buf, k, buf.length - k)
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
      }
      viewsOf = buf;
    }
    floatViews[at & 3].put(at >> 2, v, 0, n);
  }

  /**
   * Puts {@code x} into {@code b[at, at + 4)} little-endian, as protobuf lays out a {@code float}'s
   * bits (and a {@code fixed32}).
   */
  public static void putIntLe(byte[] b, int at, int x) {
    b[at] = (byte) x;
    b[at + 1] = (byte) (x >>> 8);
    b[at + 2] = (byte) (x >>> 16);
    b[at + 3] = (byte) (x >>> 24);
  }

  /** Bytes of the varint of {@code v} read as unsigned. */
  public static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** Bytes of a length-delimited field's value with its length prefix, without the key. */
  public static int delimitedSize(int n) {
    return varintSize(n) + n;
  }
}
