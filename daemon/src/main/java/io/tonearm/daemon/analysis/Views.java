package io.tonearm.daemon.analysis;

import com.google.protobuf.ByteString;
import com.google.protobuf.Internal;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.Series;
import io.tonearm.proto.v1.ValueEncoding;

/** What every analysis frame source shares: the frame-rate limit and value encodings. */
final class Views {

  /** Highest frame rate a view may ask for. */
  static final int MAX_FPS = 120;

  /** Default frame rate of analysis topics. */
  static final int DEFAULT_FPS = 30;

  /**
   * Per thread (the ticker), the float values of one series on their way into a builder: filled
   * without boxing, then copied in one piece by {@code addAllF32} (protobuf copies a {@code
   * FloatArrayList} with one array copy), instead of growing the builder's list value by value.
   */
  private static final ThreadLocal<Internal.FloatList> SCRATCH =
      ThreadLocal.withInitial(
          () ->
              ((Internal.FloatList) Series.getDefaultInstance().getF32List())
                  .mutableCopyWithCapacity(1024));

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
   * Encodes {@code n} values: as they are for float32, else mapped linearly from [lo, hi] to the
   * integer range and clamped. Non-finite values are written as {@code lo}.
   */
  static Series series(ValueEncoding enc, float[] v, int n, float lo, float hi) {
    Series.Builder b = Series.newBuilder();
    if (enc == ValueEncoding.VALUE_ENCODING_UINT8 || enc == ValueEncoding.VALUE_ENCODING_UINT16) {
      boolean wide = enc == ValueEncoding.VALUE_ENCODING_UINT16;
      int max = wide ? 65535 : 255;
      byte[] out = new byte[wide ? 2 * n : n];
      float scale = max / (hi - lo);
      for (int i = 0; i < n; i++) {
        float x = v[i];
        int q = x != x ? 0 : Math.round((Math.max(lo, Math.min(hi, x)) - lo) * scale);
        if (wide) {
          out[2 * i] = (byte) q;
          out[2 * i + 1] = (byte) (q >>> 8);
        } else {
          out[i] = (byte) q;
        }
      }
      return wide
          ? b.setU16(ByteString.copyFrom(out)).build()
          : b.setU8(ByteString.copyFrom(out)).build();
    }
    Internal.FloatList values = SCRATCH.get();
    values.clear();
    for (int i = 0; i < n; i++) {
      float x = v[i];
      values.addFloat(Float.isFinite(x) ? x : lo);
    }
    return b.addAllF32(values).build();
  }
}
