package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.proto.v1.Series;
import io.tonearm.proto.v1.ValueEncoding;
import org.junit.jupiter.api.Test;

class ViewsTest {

  @Test
  void integerEncodingsMapTheRangeAndClamp() {
    float[] v = {-100, -25, 0, 10, Float.NaN};
    Series u8 = Views.series(ValueEncoding.VALUE_ENCODING_UINT8, v, 5, -100, 0);
    assertArrayEquals(
        new byte[] {0, (byte) 191, (byte) 255, (byte) 255, 0}, u8.getU8().toByteArray());
    Series u16 = Views.series(ValueEncoding.VALUE_ENCODING_UINT16, v, 2, -100, 0);
    // 0.75 * 65535 = 49151.25 -> 49151 = 0xBFFF, little-endian.
    assertArrayEquals(new byte[] {0, 0, (byte) 0xFF, (byte) 0xBF}, u16.getU16().toByteArray());
    Series f = Views.series(ValueEncoding.VALUE_ENCODING_FLOAT32, v, 5, -100, 0);
    assertEquals(-100f, f.getF32(4)); // NaN never leaves
    assertEquals(10f, f.getF32(3));
  }
}
