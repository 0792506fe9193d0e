package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tonearm.daemon.testing.SamplesDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WaveformOverviewTest {

  // Stereo, 5 frames: with 2 samples per pixel, pixels {0,1}, {2,3}, {4}.
  private static final float[] PCM = {
    0.5f,
    -0.5f, // mono 0
    0.25f,
    0.75f, // mono (8192 + 24576) / 2 = 16384
    -1f,
    -1f, // -32768
    0.1f,
    0.3f, // (3277 + 9830) / 2 = 6553 (truncating)
    Float.NaN,
    -0.00390625f // (0 + -128) / 2 = -64
  };

  private static WaveformOverview overview(boolean split) throws Exception {
    return WaveformOverview.generate(new SamplesDecoder(PCM, 44_100, 2, 1000), 2, split);
  }

  @Test
  void version1SixteenBitHeaderAndColumns() throws Exception {
    ByteBuffer b = ByteBuffer.wrap(overview(false).toDat(16, 1)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(20 + 3 * 2 * 2, b.remaining());
    assertEquals(1, b.getInt()); // version
    assertEquals(0, b.getInt()); // flags: 16-bit
    assertEquals(44_100, b.getInt());
    assertEquals(2, b.getInt()); // samples per pixel
    assertEquals(3, b.getInt()); // length
    assertEquals(0, b.getShort()); // pixel 0 min
    assertEquals(16384, b.getShort()); // pixel 0 max
    assertEquals(-32768, b.getShort());
    assertEquals(6553, b.getShort());
    assertEquals(-64, b.getShort()); // last partial pixel
    assertEquals(-64, b.getShort());
  }

  @Test
  void version2EightBitSplitChannels() throws Exception {
    ByteBuffer b = ByteBuffer.wrap(overview(true).toDat(8, 2)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(24 + 3 * 2 * 2, b.remaining());
    assertEquals(2, b.getInt());
    assertEquals(1, b.getInt()); // flags: 8-bit
    assertEquals(44_100, b.getInt());
    assertEquals(2, b.getInt());
    assertEquals(3, b.getInt());
    assertEquals(2, b.getInt()); // channels
    // Pixel 0: left {16384, 8192} -> 64, 32; right {-16384, 24576} -> -64, 96.
    assertEquals(32, b.get());
    assertEquals(64, b.get());
    assertEquals(-64, b.get());
    assertEquals(96, b.get());
  }

  @Test
  void jsonMatchesAudiowaveformsLayout() throws Exception {
    String json = new String(overview(false).toJson(8, 2), StandardCharsets.US_ASCII);
    assertEquals(
        "{\"version\":2,\"channels\":1,\"sample_rate\":44100,\"samples_per_pixel\":2,\"bits\":8,"
            + "\"length\":3,\"data\":[0,64,-128,25,0,0]}\n",
        json);
  }

  @Test
  void rejectsWhatAudiowaveformRejects() throws Exception {
    assertThrows(
        IllegalArgumentException.class,
        () -> WaveformOverview.generate(new SamplesDecoder(PCM, 44_100, 2, 1000), 1, false));
    assertThrows(IllegalArgumentException.class, () -> overview(true).toDat(16, 1));
    assertThrows(IllegalArgumentException.class, () -> overview(false).toDat(12, 2));
  }
}
