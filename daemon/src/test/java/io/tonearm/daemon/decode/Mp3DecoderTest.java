package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class Mp3DecoderTest {

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
