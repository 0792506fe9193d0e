package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.proto.v1.ChannelSelect;
import org.junit.jupiter.api.Test;

class PlayedRingTest {

  private static final long T0 = 1_000_000_000L;

  @Test
  void audibleEndFollowsTheBlockStamps() {
    PlayedRing ring = new PlayedRing();
    assertEquals(-1, ring.audibleEnd(T0));
    float[] block = new float[2 * 1000];
    ring.write(block, 0, 1000, 2, 1000, T0); // 1 kHz: one frame per millisecond
    ring.write(block, 0, 1000, 2, 1000, T0 + 5_000_000); // a gap (underrun) of 4 s
    assertEquals(-1, ring.audibleEnd(T0 - 1));
    assertEquals(1, ring.audibleEnd(T0)); // the first frame is being heard
    assertEquals(501, ring.audibleEnd(T0 + 500_000));
    assertEquals(1000, ring.audibleEnd(T0 + 3_000_000)); // in the gap: the end of block 1
    assertEquals(1001, ring.audibleEnd(T0 + 5_000_000));
    assertEquals(2000, ring.audibleEnd(T0 + 9_000_000)); // past the end: all written
    assertEquals(T0 + 5_000_000 + 999_000, ring.micros(1999, 0));
    assertEquals(1000, ring.rateAt(2000));
  }

  @Test
  void channelViewsAreComputedFromLeftAndRight() {
    PlayedRing ring = new PlayedRing();
    float[] block = {0.5f, 0.25f, -1f, 1f};
    ring.write(block, 0, 2, 2, 48_000, T0);
    float[] out = new float[3];
    ring.copy(ChannelSelect.CHANNEL_SELECT_MID, 2, 3, out);
    assertArrayEquals(new float[] {0, 0.375f, 0}, out); // frame -1 was never written: 0
    ring.copy(ChannelSelect.CHANNEL_SELECT_SIDE, 2, 2, out);
    assertEquals(0.125f, out[0]);
    assertEquals(-1f, out[1]);
    ring.copy(ChannelSelect.CHANNEL_SELECT_RIGHT, 2, 2, out);
    assertEquals(1f, out[1]);
    ring.copy(ChannelSelect.CHANNEL_SELECT_MONO, 2, 2, out);
    assertEquals(0.375f, out[0]);
    assertEquals(0f, out[1]);
  }
}
