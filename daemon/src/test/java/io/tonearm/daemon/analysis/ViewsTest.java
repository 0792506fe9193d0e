package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.daemon.events.FrameBody;
import io.tonearm.proto.v1.Series;
import io.tonearm.proto.v1.SpectrumFrame;
import io.tonearm.proto.v1.ValueEncoding;
import org.junit.jupiter.api.Test;

class ViewsTest {

  /** The series written as a SpectrumFrame's values, parsed back. */
  private static Series series(ValueEncoding enc, float[] v, int n, float lo, float hi)
      throws Exception {
    FrameBody out = new FrameBody();
    Views.series(out, SpectrumFrame.VALUES_FIELD_NUMBER, enc, v, n, lo, hi);
    byte[] bytes = java.util.Arrays.copyOf(out.array(), out.length());
    SpectrumFrame f = SpectrumFrame.parseFrom(bytes);
    // The bytes are protobuf's own encoding of what they say.
    assertArrayEquals(f.toByteArray(), bytes);
    return f.getValues();
  }

  @Test
  void integerEncodingsMapTheRangeAndClamp() throws Exception {
    float[] v = {-100, -25, 0, 10, Float.NaN};
    Series u8 = series(ValueEncoding.VALUE_ENCODING_UINT8, v, 5, -100, 0);
    assertArrayEquals(
        new byte[] {0, (byte) 191, (byte) 255, (byte) 255, 0}, u8.getU8().toByteArray());
    Series u16 = series(ValueEncoding.VALUE_ENCODING_UINT16, v, 2, -100, 0);
    // 0.75 * 65535 = 49151.25 -> 49151 = 0xBFFF, little-endian.
    assertArrayEquals(new byte[] {0, 0, (byte) 0xFF, (byte) 0xBF}, u16.getU16().toByteArray());
    Series f = series(ValueEncoding.VALUE_ENCODING_FLOAT32, v, 5, -100, 0);
    assertEquals(-100f, f.getF32(4)); // NaN never leaves
    assertEquals(10f, f.getF32(3));
  }

  @Test
  void seriesBytesAreProtobufsEncodingForEveryLengthForm() throws Exception {
    // Lengths whose varint prefixes take one, two and three bytes, and an empty series.
    for (int n : new int[] {0, 1, 31, 32, 127, 128, 4096, 40000}) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (Math.sin(i) * 120 - 60);
      }
      if (n > 0) {
        v[n / 2] = Float.NEGATIVE_INFINITY;
      }
      for (ValueEncoding enc :
          new ValueEncoding[] {
            ValueEncoding.VALUE_ENCODING_FLOAT32,
            ValueEncoding.VALUE_ENCODING_UINT8,
            ValueEncoding.VALUE_ENCODING_UINT16
          }) {
        Series s = series(enc, v, n, -100, 0);
        assertEquals(
            n,
            enc == ValueEncoding.VALUE_ENCODING_FLOAT32
                ? s.getF32Count()
                : enc == ValueEncoding.VALUE_ENCODING_UINT8
                    ? s.getU8().size()
                    : s.getU16().size() / 2,
            enc + " " + n);
      }
    }
  }
}
