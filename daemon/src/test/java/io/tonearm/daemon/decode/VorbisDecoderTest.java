package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class VorbisDecoderTest {

  @Test
  void lengthComesFromTheLastGranuleAndTheSineSurvives() throws IOException {
    try (Decoder d = Decoders.open(fixture("1s_440Hz_44k1_stereo.ogg"))) {
      assertEquals(new AudioFormat(44100, 2, 44100, "vorbis", 0), d.format());
      float[] pcm = Signals.decodeAll(d);
      assertEquals(44100 * 2, pcm.length);
      assertEquals(440.0, Signals.frequency(pcm, 2, 0, 44100, 2000, 42000), 0.1);
      double db = 20 * Math.log10(Signals.rms(pcm, 2, 1, 2000, 42000) / (0.5 / Math.sqrt(2)));
      assertEquals(0, db, 0.5);
      assertTrue(Signals.residualDb(pcm, 2, 0, 0, 4096, 440, 44100) < -40);
    }
  }

  @Test
  void seekLandsOnRequestedFrame() throws IOException {
    for (long frame : new long[] {0, 1, 1023, 20000, 40000, 44099, 44100}) {
      Signals.assertSeekMatches(fixture("1s_440Hz_44k1_stereo.ogg"), frame, 1e-6f);
    }
  }

  @Test
  void seekPastTheEndIsAnIoException() throws IOException {
    try (Decoder d = Decoders.open(fixture("1s_440Hz_44k1_stereo.ogg"))) {
      assertThrows(IOException.class, () -> d.seek(44101));
    }
  }

  @Test
  void gaplessPairJoinsWithoutGap() throws IOException {
    Signals.assertGapless("ogg", 40001, 26149, 44100, -40);
  }
}
