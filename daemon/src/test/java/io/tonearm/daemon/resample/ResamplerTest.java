package io.tonearm.daemon.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.testing.SineFit;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResamplerTest {

  /** Converts {@code seconds} of a sine per channel, in blocks of {@code block} frames. */
  private static float[] convert(Resampler r, double[] freqs, int seconds, int block) {
    int ch = freqs.length;
    int inFrames = r.inputRate() * seconds;
    float[] in = new float[inFrames * ch];
    for (int f = 0; f < inFrames; f++) {
      for (int c = 0; c < ch; c++) {
        in[f * ch + c] = (float) (0.5 * Math.sin(2 * Math.PI * freqs[c] * f / r.inputRate()));
      }
    }
    float[] out = new float[(r.maxOutputFrames(inFrames) + r.maxOutputFrames(block) + 512) * ch];
    int produced = 0;
    for (int at = 0; at < inFrames; at += block) {
      int n = Math.min(block, inFrames - at);
      produced += r.process(in, at * ch, n, out, produced * ch);
    }
    produced += r.flush(out, produced * ch);
    return Arrays.copyOf(out, produced * ch);
  }

  /**
   * THD+N of one channel over a span clear of the start and end transients: the energy left after a
   * least-squares fit of a sine and cosine at {@code freq} plus DC, relative to the fit, in dB.
   * Also returns the fitted amplitude and phase.
   */
  private static void assertClean(int inRate, int outRate, double freq) {
    Resampler r = new Resampler(inRate, outRate, 1, 1000);
    float[] out = convert(r, new double[] {freq}, 1, 997);
    int expected = outRate + (int) Math.ceil(r.delayOutputFrames());
    assertEquals(expected, out.length, 2, "output frames for 1 s plus the filter delay");
    int from = 2000;
    int n = outRate / 2;
    SineFit f = new SineFit(out, 1, 0, from, n, freq, outRate);
    assertTrue(f.thdNDb < -90, inRate + " -> " + outRate + ": THD+N " + f.thdNDb + " dB");
    assertEquals(0.5, f.amplitude, 0.5 * 0.001, "passband gain within 0.01 dB");
    // Linear phase: the output is the input delayed by exactly delayOutputFrames().
    double expectedPhase = -2 * Math.PI * freq * r.delayOutputFrames() / outRate;
    double diff = Math.IEEEremainder(f.phase - expectedPhase, 2 * Math.PI);
    assertEquals(0, diff, 1e-3, "phase matches the documented delay");
  }

  @Test
  void converts44k1To48kWithThdPlusNoiseUnderMinus90Db() {
    assertClean(44100, 48000, 1000);
  }

  @Test
  void converts48kTo44k1WithThdPlusNoiseUnderMinus90Db() {
    assertClean(48000, 44100, 1000);
  }

  @Test
  void converts96kTo48kWithThdPlusNoiseUnderMinus90Db() {
    assertClean(96000, 48000, 1000);
  }

  @Test
  void rejectsToneAboveTheOutputNyquistInsteadOfAliasingIt() {
    Resampler r = new Resampler(96000, 48000, 1, 4096);
    float[] out = convert(r, new double[] {30000}, 1, 4096); // would alias to 18 kHz
    double rms = 0;
    for (int i = 2000; i < 46000; i++) {
      rms += out[i] * out[i];
    }
    rms = Math.sqrt(rms / 44000);
    assertTrue(20 * Math.log10(rms / (0.5 / Math.sqrt(2))) < -90, "alias at " + rms);
  }

  @Test
  void keepsChannelsApart() {
    Resampler r = new Resampler(44100, 48000, 2, 512);
    float[] out = convert(r, new double[] {1000, 3000}, 1, 512);
    assertTrue(new SineFit(out, 2, 0, 2000, 24000, 1000, 48000).thdNDb < -90);
    assertTrue(new SineFit(out, 2, 1, 2000, 24000, 3000, 48000).thdNDb < -90);
  }

  @Test
  void outputDoesNotDependOnBlockSize() {
    float[] a = convert(new Resampler(44100, 48000, 2, 4096), new double[] {440, 5000}, 1, 4096);
    float[] b = convert(new Resampler(44100, 48000, 2, 64), new double[] {440, 5000}, 1, 1);
    float[] c = convert(new Resampler(44100, 48000, 2, 100), new double[] {440, 5000}, 1, 333);
    assertArrayEquals(a, b, 0f);
    assertArrayEquals(a, c, 0f);
  }

  @Test
  void resetStartsAgainFromSilence() {
    Resampler r = new Resampler(48000, 44100, 1, 256);
    float[] first = convert(r, new double[] {1000}, 1, 256);
    r.reset();
    assertArrayEquals(first, convert(r, new double[] {1000}, 1, 256), 0f);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new Resampler(0, 48000, 2, 256));
    assertThrows(IllegalArgumentException.class, () -> new Resampler(44100, 48000, 0, 256));
    assertThrows(IllegalArgumentException.class, () -> new Resampler(44101, 48000, 2, 256));
  }
}
