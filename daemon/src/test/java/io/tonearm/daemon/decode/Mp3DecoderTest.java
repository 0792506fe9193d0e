package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class Mp3DecoderTest {

  private static final String[] FIXTURES = {
    "1s_440Hz_44k1_stereo_cbr128.mp3",
    "1s_440Hz_44k1_stereo_vbr.mp3",
    "0.5s_441Hz_square_0.99_44k1_mono.mp3",
    "gapless_440Hz_a.mp3",
    "gapless_440Hz_b.mp3",
  };

  /** libmpg123 is required where the build installs it (.ci/run), else its tests are skipped. */
  static void assumeLibmpg123() {
    if (System.getenv("TONEARM_REQUIRE_LIBMPG123") != null) {
      assertTrue(Mpg123Codec.available(), "libmpg123.so.0 should load (TONEARM_REQUIRE_LIBMPG123)");
    }
    Assumptions.assumeTrue(Mpg123Codec.available(), "libmpg123 is not installed");
  }

  @Test
  void libmpg123DecodesWhereItLoads() {
    assumeLibmpg123();
    assertEquals("libmpg123 (float)", Mp3Decoder.codecInUse());
  }

  @Test
  void libmpg123AndJlayerGiveTheSameSamples() throws IOException {
    assumeLibmpg123();
    for (String name : FIXTURES) {
      float[] lib = Signals.decodeAll(fixture(name));
      float[] jl;
      try (Mp3Decoder d = Mp3Decoder.openWithJlayer(fixture(name))) {
        jl = Signals.decodeAll(d);
      }
      assertEquals(jl.length, lib.length, name + ": same length, same gapless trim");
      float e = 0;
      for (int i = 0; i < jl.length; i++) {
        e = Math.max(e, Math.abs(jl[i] - lib[i]));
      }
      // Measured 6.6e-7 to 1.1e-6 (float rounding); a sample off by one would differ by up to
      // the signal's step, 0.03 and more for these tones, so the bound also checks alignment.
      assertTrue(e < 1e-5f, name + ": max difference " + e);
    }
  }

  @Test
  void jlayerFallbackHasTheTrueLengthFrequencyAndLevel() throws IOException {
    for (String name :
        new String[] {"1s_440Hz_44k1_stereo_cbr128.mp3", "1s_440Hz_44k1_stereo_vbr.mp3"}) {
      try (Mp3Decoder d = Mp3Decoder.openWithJlayer(fixture(name))) {
        assertSine(d);
      }
    }
  }

  @Test
  void jlayerFallbackSeeksLandOnTheSameSamples() throws IOException {
    Path file = fixture("1s_440Hz_44k1_stereo_vbr.mp3");
    float[] all;
    try (Mp3Decoder d = Mp3Decoder.openWithJlayer(file)) {
      all = Signals.decodeAll(d);
    }
    for (long frame : new long[] {0, 1151, 1152, 20000, 44099, 44100}) {
      try (Mp3Decoder d = Mp3Decoder.openWithJlayer(file)) {
        d.seek(frame);
        float[] tail = Signals.decodeAll(d);
        assertArrayEquals(Arrays.copyOfRange(all, (int) frame * 2, all.length), tail, 1e-6f);
      }
    }
  }

  @Test
  void cbrWithInfoTagHasTheTrueLengthFrequencyAndLevel() throws IOException {
    assertSine("1s_440Hz_44k1_stereo_cbr128.mp3");
  }

  @Test
  void vbrWithXingTagHasTheTrueLengthFrequencyAndLevel() throws IOException {
    assertSine("1s_440Hz_44k1_stereo_vbr.mp3");
  }

  private static void assertSine(String name) throws IOException {
    try (Mp3Decoder d = Mp3Decoder.open(fixture(name))) {
      assertSine(d);
    }
  }

  private static void assertSine(Mp3Decoder d) throws IOException {
    {
      assertEquals(576, d.encoderDelay()); // LAME 3.100's delay, from the LAME tag
      assertEquals(new AudioFormat(44100, 2, 44100, "mp3", 0), d.format());
      float[] pcm = Signals.decodeAll(d);
      assertEquals(44100 * 2, pcm.length); // gapless: exactly the encoded sample count
      assertEquals(440.0, Signals.frequency(pcm, 2, 0, 44100, 2000, 42000), 0.1);
      double db = 20 * Math.log10(Signals.rms(pcm, 2, 1, 2000, 42000) / (0.5 / Math.sqrt(2)));
      assertEquals(0, db, 1.0);
      // Sample 0 is the sine's first sample (phase 0): the delay trim is right to the sample.
      assertTrue(Signals.residualDb(pcm, 2, 0, 0, 4096, 440, 44100) < -40);
    }
  }

  @Test
  void peaksAboveFullScaleAreNotClamped() throws IOException {
    // A 0.99 square wave: MP3 rings above full scale at every edge (Gibbs).
    try (Decoder d = Decoders.open(fixture("0.5s_441Hz_square_0.99_44k1_mono.mp3"))) {
      float peak = Signals.peak(Signals.decodeAll(d));
      assertTrue(peak > 1.1f, "peak " + peak);
    }
  }

  @Test
  void seekLandsOnRequestedFrame() throws IOException {
    for (long frame : new long[] {0, 1, 1151, 1152, 20000, 44099, 44100}) {
      Signals.assertSeekMatches(fixture("1s_440Hz_44k1_stereo_vbr.mp3"), frame, 1e-6f);
      Signals.assertSeekMatches(fixture("1s_440Hz_44k1_stereo_cbr128.mp3"), frame, 1e-6f);
    }
  }

  @Test
  void gaplessPairJoinsWithoutGap() throws IOException {
    Signals.assertGapless("mp3", 40001, 26149, 44100, -40);
  }
}
