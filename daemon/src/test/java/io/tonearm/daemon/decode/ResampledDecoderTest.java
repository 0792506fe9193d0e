package io.tonearm.daemon.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.testing.SamplesDecoder;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResampledDecoderTest {

  /** {@code frames} of a sine at {@code hz}, sampled at {@code rate}, on every channel. */
  static float[] sine(double hz, int rate, int channels, int frames, double amplitude) {
    float[] x = new float[frames * channels];
    for (int f = 0; f < frames; f++) {
      for (int c = 0; c < channels; c++) {
        x[f * channels + c] = (float) (amplitude * Math.sin(2 * Math.PI * hz * f / rate));
      }
    }
    return x;
  }

  static float[] readAll(Decoder d, int chunk) throws IOException {
    int ch = d.format().channels();
    float[] all = new float[0];
    float[] buf = new float[chunk * ch];
    int len = 0;
    for (int n; (n = d.read(buf, 0, chunk)) >= 0; ) {
      all = Arrays.copyOf(all, len + n * ch);
      System.arraycopy(buf, 0, all, len, n * ch);
      len += n * ch;
    }
    return all;
  }

  @ParameterizedTest
  @CsvSource({"48000, 44100", "44100, 48000", "96000, 44100", "22050, 48000"})
  void aSineKeepsItsPhaseWithNoFractionalDelay(int from, int to) throws IOException {
    // Output frame n is the input at time n / to seconds exactly: the converted 1 kHz sine is the
    // sine sampled at the new rate. A delay of a third of a frame would leave an error of 0.02.
    float[] in = sine(1000, from, 2, from, 0.5);
    try (Decoder d = new ResampledDecoder(new SamplesDecoder(in, from, 2, 777), to)) {
      assertEquals(to, d.format().sampleRate());
      float[] out = readAll(d, 500);
      float[] want = sine(1000, to, 2, to, 0.5);
      assertEquals(want.length, out.length, "one second in, one second out");
      double worst = 0;
      for (int i = 2 * 300; i < out.length - 2 * 300; i++) { // past the edges' ringing
        worst = Math.max(worst, Math.abs(out[i] - want[i]));
      }
      assertTrue(worst < 1e-3, "largest error " + worst);
    }
  }

  @ParameterizedTest
  @CsvSource({"48000, 44100, 1001, 920", "44100, 48000, 1000, 1089", "48000, 44100, 48000, 44100"})
  void lengthIsTheOutputFramesInsideTheInput(int from, int to, int frames, int expected)
      throws IOException {
    // ceil(frames * to / from): 1001 * 147 / 160 = 919.7 -> 920; 1000 * 160 / 147 = 1088.4 -> 1089
    try (Decoder d = new ResampledDecoder(new SamplesDecoder(new float[frames], from, 1), to)) {
      assertEquals(expected, d.format().frames());
      assertEquals(expected, readAll(d, 333).length);
    }
  }

  @Test
  void aSeekGivesBitForBitTheFramesOfReadingFromTheStart() throws IOException {
    java.util.Random rnd = new java.util.Random(7);
    float[] in = new float[30_000 * 2];
    for (int i = 0; i < in.length; i++) {
      in[i] = (float) (rnd.nextGaussian() * 0.2);
    }
    try (Decoder d = new ResampledDecoder(new SamplesDecoder(in, 48_000, 2, 1000), 44_100)) {
      float[] all = readAll(d, 4096);
      assertEquals(d.format().frames() * 2, all.length);
      for (long f : new long[] {0, 1, 146, 147, 148, 2000, 12_345, 27_000, all.length / 2 - 1}) {
        d.seek(f);
        float[] tail = readAll(d, 999);
        assertArrayEquals(
            Arrays.copyOfRange(all, (int) f * 2, all.length), tail, "after a seek to " + f);
      }
      d.seek(all.length / 2);
      assertEquals(-1, d.read(new float[8], 0, 4), "a seek to the end reads nothing");
    }
  }

  @Test
  void aRatioThatCannotBeConvertedExactlyIsRefused() {
    UnsupportedFormatException e =
        assertThrows(
            UnsupportedFormatException.class,
            () -> new ResampledDecoder(new SamplesDecoder(new float[100], 44_101, 1), 44_100));
    assertTrue(e.getMessage().contains("44101 Hz to 44100 Hz"), e.getMessage());
  }
}
