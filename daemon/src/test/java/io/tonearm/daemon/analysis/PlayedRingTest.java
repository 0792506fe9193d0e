package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void copyAcrossTheRingsWrapReadsFramesInOrder() {
    PlayedRing ring = new PlayedRing();
    int block = 4096;
    float[] src = new float[block]; // mono: frame f holds f
    for (long w = 0; w < PlayedRing.CAPACITY + 1000; w += block) {
      for (int i = 0; i < block; i++) {
        src[i] = w + i;
      }
      ring.write(src, 0, block, 1, 48_000, T0 + w);
    }
    long end = ring.written() - 3000; // the last frames wrote over the start of the ring
    long first = end - 8;
    for (ChannelSelect c :
        new ChannelSelect[] {ChannelSelect.CHANNEL_SELECT_MONO, ChannelSelect.CHANNEL_SELECT_MID}) {
      float[] out = new float[8];
      ring.copy(c, end, 8, out);
      for (int i = 0; i < 8; i++) {
        assertEquals((float) (first + i), out[i], c + " frame " + (first + i));
      }
    }
    long wrap = PlayedRing.CAPACITY; // frame CAPACITY sits at index 0: a copy spanning it
    float[] out = new float[6];
    ring.copy(ChannelSelect.CHANNEL_SELECT_LEFT, wrap + 3, 6, out);
    for (int i = 0; i < 6; i++) {
      assertEquals((float) (wrap - 3 + i), out[i]);
    }
    ring.copy(ChannelSelect.CHANNEL_SELECT_SIDE, wrap + 3, 6, out);
    assertArrayEquals(new float[6], out); // mono input: left equals right
  }

  @Test
  void theOnePassStereoWriteKeepsWhatASanitisedCopyAndAWriteKeep() {
    PlayedRing twoPass = new PlayedRing();
    PlayedRing onePass = new PlayedRing();
    java.util.Random random = new java.util.Random(7);
    float[] special = {
      Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 5f, -4.5f, 4f, -0f, 0f, 1e-40f
    };
    int frames = 1000;
    float[] block = new float[2 * frames + 6];
    float[] clean = new float[2 * frames];
    long t = T0;
    // 525 blocks: the writes go past the ring's wrap (CAPACITY frames).
    for (int b = 0; b < 525; b++) {
      for (int i = 0; i < block.length; i++) {
        block[i] =
            random.nextInt(8) == 0
                ? special[random.nextInt(special.length)]
                : (float) random.nextGaussian();
      }
      AnalysisTap.sanitise(block, 6, clean, 0, clean.length);
      twoPass.write(clean, 0, frames, 2, 48_000, t);
      onePass.writeStereoSanitised(block, 6, frames, 48_000, t); // from an offset, as the tap
      t += 20_833;
    }
    assertEquals(twoPass.written(), onePass.written());
    assertEquals(twoPass.audibleEnd(t), onePass.audibleEnd(t));
    int n = PlayedRing.CAPACITY;
    float[] a = new float[n];
    float[] o = new float[n];
    for (ChannelSelect c :
        new ChannelSelect[] {
          ChannelSelect.CHANNEL_SELECT_LEFT,
          ChannelSelect.CHANNEL_SELECT_RIGHT,
          ChannelSelect.CHANNEL_SELECT_MONO
        }) {
      twoPass.copy(c, twoPass.written(), n, a);
      onePass.copy(c, onePass.written(), n, o);
      assertArrayEquals(a, o, c.toString()); // bit for bit: NaN, -0f and the clamp alike
      for (float x : o) {
        assertTrue(Float.isFinite(x) && Math.abs(x) <= 4f, c + ": " + x);
      }
    }
  }
}
