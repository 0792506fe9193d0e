package io.tonearm.daemon.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameBodyTest {

  @Test
  void floatsAtEveryByteOffsetAreTheirLittleEndianBitsAcrossGrowth() {
    float[] v = new float[3000]; // 12,000 bytes: the 4,096-byte array grows under the writes
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Math.sin(i) * 100;
    }
    v[7] = Float.NaN;
    v[8] = -0f;
    for (int offset = 0; offset < 4; offset++) {
      FrameBody body = new FrameBody();
      for (int round = 0; round < 3; round++) {
        body.reset();
        for (int i = 0; i < offset; i++) {
          body.varint(1);
        }
        int at = body.reserve(4 * v.length);
        body.putFloats(at, v, v.length);
        byte[] expected = new byte[offset + 4 * v.length];
        Arrays.fill(expected, 0, offset, (byte) 1);
        for (int i = 0; i < v.length; i++) {
          FrameBody.putIntLe(expected, offset + 4 * i, Float.floatToRawIntBits(v[i]));
        }
        assertEquals(expected.length, body.length());
        assertArrayEquals(expected, Arrays.copyOf(body.array(), body.length()), "offset " + offset);
      }
    }
  }
}
