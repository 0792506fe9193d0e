package io.tonearm.daemon.analysis;

import io.tonearm.daemon.events.FrameBody;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.Series;
import io.tonearm.proto.v1.ValueEncoding;

/** What every analysis frame source shares: the frame-rate limit and value encodings. */
final class Views {

  /** Highest frame rate a view may ask for. */
  static final int MAX_FPS = 120;

  /** Default frame rate of analysis topics. */
  static final int DEFAULT_FPS = 30;

  private Views() {}

  /** Checks the topic and fps of {@code requested} and returns a builder with them normalised. */
  static FrameView.Builder common(FrameView requested, String topic) {
    if (!requested.getTopic().isEmpty() && !requested.getTopic().equals(topic)) {
      throw new IllegalArgumentException("view topic must be " + topic);
    }
    int fps = requested.getFps();
    if (fps > MAX_FPS) {
      throw new IllegalArgumentException("fps must be 1.." + MAX_FPS + ": " + fps);
    }
    return FrameView.newBuilder().setTopic(topic).setFps(fps == 0 ? DEFAULT_FPS : fps);
  }

  /**
   * Checks that {@code v} lies in [lo, hi], naming {@code field} and the limit when it does not.
   */
  static float range(String field, float v, float lo, float hi) {
    if (!(v >= lo && v <= hi)) {
      throw new IllegalArgumentException(field + " must be " + lo + ".." + hi + ": " + v);
    }
    return v;
  }

  /**
   * Writes {@code n} values as the {@code Series} message field {@code field} of the body being
   * written: as they are for float32, else mapped linearly from [lo, hi] to the integer range and
   * clamped. Non-finite values are written as {@code lo} (float32) or 0 (integers). The values go
   * from the array into the wire bytes in one loop, with no list or builder between.
   */
  static void series(
      FrameBody out, int field, ValueEncoding enc, float[] v, int n, float lo, float hi) {
    boolean ints =
        enc == ValueEncoding.VALUE_ENCODING_UINT8 || enc == ValueEncoding.VALUE_ENCODING_UINT16;
    boolean wide = enc == ValueEncoding.VALUE_ENCODING_UINT16;
    int bytes = ints ? (wide ? 2 * n : n) : 4 * n;
    out.tag(field, FrameBody.LEN);
    if (n == 0) {
      out.varint(0); // a set, empty Series: no f32 values, and empty bytes are not written
      return;
    }
    int sub =
        ints ? (wide ? Series.U16_FIELD_NUMBER : Series.U8_FIELD_NUMBER) : Series.F32_FIELD_NUMBER;
    out.varint(1 + FrameBody.delimitedSize(bytes)); // the key of fields 1..3 is one byte
    out.tag(sub, FrameBody.LEN);
    out.varint(bytes);
    int at = out.reserve(bytes);
    byte[] b = out.array();
    if (!ints) {
      // One bulk copy, then the rare non-finite value overwritten: x - x is 0 for every finite x
      // and NaN for infinities and NaN.
      out.putFloats(at, v, n);
      int lowBits = Float.floatToRawIntBits(lo);
      for (int i = 0; i < n; i++) {
        float x = v[i];
        if (x - x != 0) {
          FrameBody.putIntLe(b, at + 4 * i, lowBits);
        }
      }
      return;
    }
    int max = wide ? 65535 : 255;
    float scale = max / (hi - lo);
    for (int i = 0; i < n; i++) {
      float x = v[i];
      int q = x != x ? 0 : Math.round((Math.max(lo, Math.min(hi, x)) - lo) * scale);
      if (wide) {
        b[at++] = (byte) q;
        b[at++] = (byte) (q >>> 8);
      } else {
        b[at++] = (byte) q;
      }
    }
  }

  /**
   * Writes {@code data[0, n)} as the {@code u8} bytes of the {@code Series} field {@code field}.
   */
  static void seriesU8(FrameBody out, int field, byte[] data, int n) {
    out.tag(field, FrameBody.LEN);
    if (n == 0) {
      out.varint(0);
      return;
    }
    out.varint(1 + FrameBody.delimitedSize(n));
    out.bytes(Series.U8_FIELD_NUMBER, data, n);
  }
}
