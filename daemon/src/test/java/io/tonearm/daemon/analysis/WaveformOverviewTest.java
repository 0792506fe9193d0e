package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tonearm.daemon.decode.AudioFormat;
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
    0.3f, // 32-bit source, top 16 bits: (3276 + 9830) / 2 = 6553 (truncating)
    Float.NaN,
    -0.00390625f // (0 + -128) / 2 = -64
  };

  private static WaveformOverview overview(boolean split) throws Exception {
    return WaveformOverview.generate(new SamplesDecoder(PCM, 44_100, 2, 1000), 2, split);
  }

  /** Split channels, one frame per pixel: the 16-bit value of each sample of channel 0. */
  private static short[] shorts(float[] mono, AudioFormat format) throws Exception {
    WaveformOverview o = WaveformOverview.generate(new SamplesDecoder(mono, format), 2, true);
    short[] out = new short[o.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = o.value(i, 0, true);
    }
    return out;
  }

  @Test
  void twentyFourBitSourcesKeepTheirTopSixteenBitsAsLibsndfileReadsThem() throws Exception {
    // 24-bit values -1, 200, 383, -385: libsndfile's sf_readf_short shifts right by 8 (floors):
    // -1, 0, 1, -2, where rounding would give 0, 1, 1, -2.
    float[] s = {-1f / 8388608, -1f / 8388608, 200f / 8388608, 200f / 8388608};
    float[] t = {383f / 8388608, 383f / 8388608, -385f / 8388608, -385f / 8388608};
    AudioFormat flac24 = new AudioFormat(48_000, 1, 4, "flac", 24);
    assertArrayEquals(new short[] {-1, 0}, shorts(s, flac24));
    assertArrayEquals(new short[] {1, -2}, shorts(t, flac24));
  }

  @Test
  void floatSourcesAreScaledBy32767AndTruncatedAsAudiowaveformDoes() throws Exception {
    // (short) (s * 32767): 0.5 -> 16383, -0.5 -> -16383, 1 -> 32767, -1 -> -32767, 1.5 clamped.
    float[] s = {0.5f, 0.5f, -0.5f, -0.5f, 1f, 1f, -1f, -1f, 1.5f, 1.5f};
    AudioFormat wavFloat = new AudioFormat(48_000, 1, 10, "wav", 0);
    assertArrayEquals(new short[] {16383, -16383, 32767, -32767, 32767}, shorts(s, wavFloat));
    AudioFormat sixteen = new AudioFormat(48_000, 1, 10, "wav", 16);
    assertArrayEquals(new short[] {16384, -16384, 32767, -32768, 32767}, shorts(s, sixteen));
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
