package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
  void peaksAboveFullScaleAreNotClamped() throws IOException {
    // A 0.99 square wave: Vorbis rings above full scale at every edge (Gibbs); the samples must
    // reach the gain stages as they are.
    try (Decoder d = Decoders.open(fixture("0.5s_441Hz_square_0.99_44k1_mono.ogg"))) {
      float peak = Signals.peak(Signals.decodeAll(d));
      assertTrue(peak > 1.1f, "peak " + peak);
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

  @Test
  void surroundComesOutInWavChannelOrder() throws IOException {
    // Encoded from a WAV whose channels FL FR FC LFE BL BR hold 200 300 400 100 500 600 Hz.
    assertSurround(VorbisDecoder.open(fixture("0.5s_5.1_200-300-400-100-500-600Hz_48k.ogg")));
  }

  @Test
  void setupHeaderJorbisRejectsGoesToFfmpeg() throws IOException {
    // Same signal at oggenc -q 2, whose setup header JOrbis 0.0.17 cannot parse.
    Path file = fixture("0.5s_5.1_200-300-400-100-500-600Hz_48k_q2_jorbis_rejects.ogg");
    assertThrows(UnsupportedFormatException.class, () -> VorbisDecoder.open(file));
    assumeTrue(Decoders.ffmpegAvailable(), "ffmpeg not installed");
    assertSurround(Decoders.open(file));
  }

  private static void assertSurround(Decoder decoder) throws IOException {
    try (Decoder d = decoder) {
      assertEquals(new AudioFormat(48000, 6, 24000, "vorbis", 0), d.format());
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
    try (Decoder d = Decoders.open(fixture("5s_440Hz_plus_pink_noise_44k1_mono.ogg"))) {
      assertEquals(44100 * 5, d.format().frames());
    }
    for (long frame : new long[] {4410, 77777, 123456, 220000}) {
      Signals.assertSeekMatches(fixture("5s_440Hz_plus_pink_noise_44k1_mono.ogg"), frame, 1e-6f);
    }
  }

  @Test
  void aSetupTakenOverFromTheLastFileDecodesExactlyAsAFreshDecoder() throws IOException {
    // a, b and sine come from one encoder at one setting: identical identification and setup
    // headers. noise and square each have their own.
    Path a = fixture("gapless_440Hz_a.ogg");
    Path b = fixture("gapless_440Hz_b.ogg");
    Path sine = fixture("1s_440Hz_44k1_stereo.ogg");
    Path noise = fixture("5s_440Hz_plus_pink_noise_44k1_mono.ogg");
    Path square = fixture("0.5s_441Hz_square_0.99_44k1_mono.ogg");
    Map<Path, float[]> fresh = new HashMap<>();
    for (Path f : new Path[] {a, b, sine, noise, square}) {
      VorbisSetup.dropSpare();
      try (VorbisDecoder d = VorbisDecoder.open(f)) {
        assertFalse(d.reusedSetup());
        fresh.put(f, Signals.decodeAll(d));
      }
    }
    VorbisSetup.dropSpare();
    Path[] files = {a, b, sine, a, noise, noise, square, sine, b};
    boolean[] reuses = {false, true, true, true, false, true, false, false, true};
    for (int i = 0; i < files.length; i++) {
      try (VorbisDecoder d = VorbisDecoder.open(files[i])) {
        assertEquals(reuses[i], d.reusedSetup(), "file " + i + " takes the last one's set-up");
        assertArrayEquals(fresh.get(files[i]), Signals.decodeAll(d), "file " + i);
      }
    }
  }

  @Test
  void seeksWithATakenOverSetupReadExactlyWhatAFreshDecoderReads() throws IOException {
    Path sine = fixture("1s_440Hz_44k1_stereo.ogg");
    Path b = fixture("gapless_440Hz_b.ogg");
    for (long frame : new long[] {0, 1, 1023, 20000, 44099, 44100}) {
      VorbisSetup.dropSpare();
      float[] expected;
      try (VorbisDecoder d = VorbisDecoder.open(sine)) {
        d.seek(frame);
        expected = Signals.decodeAll(d);
      }
      VorbisSetup.dropSpare();
      VorbisDecoder.open(b).close(); // leaves its set-up, the same as sine's
      try (VorbisDecoder d = VorbisDecoder.open(sine)) {
        assertTrue(d.reusedSetup());
        Signals.decodeAll(d); // to the end, then back
        d.seek(frame);
        assertArrayEquals(expected, Signals.decodeAll(d), "after seeking to " + frame);
        d.seek(frame); // and once more on the same state
        assertArrayEquals(expected, Signals.decodeAll(d), "after seeking to " + frame + " again");
      }
    }
  }
}
