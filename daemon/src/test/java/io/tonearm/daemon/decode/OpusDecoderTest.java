package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class OpusDecoderTest {

  @Test
  void preSkipAndEndTrimGiveTheExactLength() throws IOException {
    try (OpusDecoder d = OpusDecoder.open(fixture("1s_1kHz_48k_stereo.opus"))) {
      assertEquals(new AudioFormat(48000, 2, 48000, "opus", 0), d.format());
      assertEquals(0.0, d.outputGainDb());
      float[] pcm = Signals.decodeAll(d);
      assertEquals(48000 * 2, pcm.length);
      assertEquals(1000.0, Signals.frequency(pcm, 2, 0, 48000, 2000, 46000), 0.1);
      double db = 20 * Math.log10(Signals.rms(pcm, 2, 1, 2000, 46000) / (0.5 / Math.sqrt(2)));
      assertEquals(0, db, 0.5);
      // Pre-skip dropped exactly: output frame 0 is the sine's phase 0.
      assertTrue(Signals.residualDb(pcm, 2, 0, 0, 4800, 1000, 48000) < -30);
    }
  }

  @Test
  void seekLandsOnRequestedFrame() throws IOException {
    for (long frame : new long[] {0, 1, 959, 3840, 25000, 47999, 48000}) {
      Signals.assertSeekMatches(fixture("1s_1kHz_48k_stereo.opus"), frame, 1e-6f);
    }
  }

  @Test
  void seekPastTheEndIsAnIoException() throws IOException {
    try (Decoder d = Decoders.open(fixture("1s_1kHz_48k_stereo.opus"))) {
      assertThrows(IOException.class, () -> d.seek(48001));
    }
  }

  @Test
  void gaplessPairJoinsWithoutGap() throws IOException {
    Signals.assertGapless("opus", 40001, 31999, 48000, -30);
  }

  @Test
  void surroundComesOutInWavChannelOrder() throws IOException {
    // Encoded from a WAV whose channels FL FR FC LFE BL BR hold 200 300 400 100 500 600 Hz.
    try (Decoder d = Decoders.open(fixture("0.5s_5.1_200-300-400-100-500-600Hz_48k.opus"))) {
      assertEquals(new AudioFormat(48000, 6, 24000, "opus", 0), d.format());
      float[] pcm = Signals.decodeAll(d);
      assertEquals(24000 * 6, pcm.length);
      double[] freqs = {200, 300, 400, 100, 500, 600};
      for (int c = 0; c < 6; c++) {
        double db = Signals.residualDb(pcm, 6, c, 2400, 19200, freqs[c], 48000);
        assertTrue(db < -20, "channel " + c + " should hold " + freqs[c] + " Hz: " + db + " dB");
      }
    }
  }

  @Test
  void seekAcrossManyPagesLandsOnRequestedFrame() throws IOException {
    try (Decoder d = Decoders.open(fixture("5s_440Hz_plus_pink_noise_48k_mono_small_pages.opus"))) {
      assertEquals(48000 * 5, d.format().frames());
    }
    for (long frame : new long[] {4800, 77777, 123456, 239500}) {
      // At 24 kbit/s Opus runs SILK, whose state after 80 ms of pre-roll is close to, not equal to,
      // a decode from the start: allow -48 dBFS. Landing one frame off would differ by 0.03.
      Signals.assertSeekMatches(
          fixture("5s_440Hz_plus_pink_noise_48k_mono_small_pages.opus"), frame, 4e-3f);
    }
  }

  /** The hot square's float decode by {@code opusdec --float --rate 48000} (libopus 1.3.1). */
  private static float[] opusdecReference() throws IOException {
    ByteBuffer b =
        ByteBuffer.wrap(
                Files.readAllBytes(fixture("0.5s_441Hz_square_0.99_44k1_mono.opusdec-float.f32")))
            .order(ByteOrder.LITTLE_ENDIAN);
    float[] ref = new float[b.remaining() / 4];
    b.asFloatBuffer().get(ref);
    return ref;
  }

  private static float maxError(float[] a, float[] b) {
    float e = 0;
    for (int i = 0; i < a.length; i++) {
      e = Math.max(e, Math.abs(a[i] - b[i]));
    }
    return e;
  }

  /** libopus is required where the build installs it (.ci/run), else its tests are skipped. */
  static void assumeLibopus() {
    if (System.getenv("TONEARM_REQUIRE_LIBOPUS") != null) {
      assertTrue(LibopusCodec.available(), "libopus.so.0 should load (TONEARM_REQUIRE_LIBOPUS)");
    }
    Assumptions.assumeTrue(LibopusCodec.available(), "libopus is not installed");
  }

  @Test
  void libopusKeepsPeaksAboveFullScaleAndMatchesOpusdecSampleForSample() throws IOException {
    assumeLibopus();
    assertTrue(OpusDecoder.codecInUse().startsWith("libopus"), OpusDecoder.codecInUse());
    float[] ref = opusdecReference();
    try (OpusDecoder d = OpusDecoder.open(fixture("0.5s_441Hz_square_0.99_44k1_mono.opus"))) {
      float[] pcm = Signals.decodeAll(d);
      assertEquals(ref.length, pcm.length); // same pre-skip and end trim: sample-aligned
      // The square rings above full scale at every edge (Gibbs): the float decode keeps it.
      assertTrue(Signals.peak(pcm) > 1.15f, "peak " + Signals.peak(pcm));
      // Measured 0 (the same libopus build); 1e-5 (-100 dBFS) leaves room for another libopus
      // build's SIMD paths (ffmpeg's own Opus decoder differs from opusdec by 7e-7 on this file).
      assertTrue(maxError(pcm, ref) <= 1e-5f, "max error " + maxError(pcm, ref));
    }
  }

  @Test
  void concentusFallbackClipsAtFullScaleAndIsWithinItsFixedPointErrorOfOpusdec()
      throws IOException {
    float[] ref = opusdecReference();
    try (OpusDecoder d =
        OpusDecoder.openWithConcentus(fixture("0.5s_441Hz_square_0.99_44k1_mono.opus"))) {
      float[] pcm = Signals.decodeAll(d);
      assertEquals(ref.length, pcm.length);
      assertTrue(Signals.peak(pcm) <= 1.0f, "16-bit output cannot exceed full scale");
      // Away from the clipped peaks the fixed-point decode tracks libopus's float decode.
      float e = 0;
      for (int i = 0; i < ref.length; i++) {
        if (Math.abs(ref[i]) < 0.9f) {
          e = Math.max(e, Math.abs(pcm[i] - ref[i]));
        }
      }
      assertTrue(e < 2e-3f, "max error below 0.9 full scale " + e);
    }
  }

  @Test
  void monoAndStereoInOrderTakeTheSingleStreamDecoderWithTheMultistreamDecodersSamples()
      throws IOException {
    assumeLibopus();
    for (String name :
        new String[] {
          "1s_1kHz_48k_stereo.opus",
          "0.5s_441Hz_square_0.99_44k1_mono.opus",
          "0.5s_441Hz_square_0.99_44k1_mono_gain-6dB.opus"
        }) {
      try (OpusDecoder plain = OpusDecoder.open(fixture(name));
          OpusDecoder multi = OpusDecoder.openWithMultistream(fixture(name))) {
        assertTrue(plain.decodesPlain(), name);
        assertFalse(multi.decodesPlain(), name);
        assertArrayEquals(Signals.decodeAll(multi), Signals.decodeAll(plain), name);
      }
    }
    try (OpusDecoder d = OpusDecoder.open(fixture("0.5s_5.1_200-300-400-100-500-600Hz_48k.opus"))) {
      assertFalse(d.decodesPlain(), "5.1 needs the multistream decoder");
    }
  }

  @Test
  void libopusSeeksLandOnTheSameSamplesAsADecodeFromTheStart() throws IOException {
    assumeLibopus();
    for (long frame : new long[] {1, 3840, 12345, 23999}) {
      Signals.assertSeekMatches(fixture("0.5s_441Hz_square_0.99_44k1_mono.opus"), frame, 1e-6f);
    }
    assertFalse(OpusDecoder.codecInUse().isEmpty());
  }

  @Test
  void outputGainIsAppliedAndSurvivesASeek() throws IOException {
    // The same file with OpusHead's output gain patched to -6 dB (Q7.8 -1536, page CRC redone).
    float[] plain;
    try (OpusDecoder d = OpusDecoder.open(fixture("0.5s_441Hz_square_0.99_44k1_mono.opus"))) {
      plain = Signals.decodeAll(d);
    }
    float g = (float) Math.pow(10, -6 / 20.0);
    try (OpusDecoder d =
        OpusDecoder.open(fixture("0.5s_441Hz_square_0.99_44k1_mono_gain-6dB.opus"))) {
      assertEquals(-6.0, d.outputGainDb());
      float[] gained = Signals.decodeAll(d);
      assertEquals(plain.length, gained.length);
      for (int i = 0; i < plain.length; i++) {
        assertEquals(plain[i] * g, gained[i], 1e-4f, "sample " + i);
      }
      d.seek(12000);
      float[] after = new float[4800];
      for (int got = 0, n; got < after.length; got += n) {
        n = d.read(after, got, after.length - got);
        assertTrue(n > 0);
      }
      for (int i = 0; i < after.length; i++) {
        assertEquals(plain[12000 + i] * g, after[i], 1e-4f, "after the seek, sample " + i);
      }
    }
  }
}
