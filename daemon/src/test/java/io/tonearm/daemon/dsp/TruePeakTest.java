package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inter-sample peaks of the kind EBU Tech 3341's true-peak cases (15-23) are built from: sines at
 * fs/4 and other rates whose samples miss the crest. Tolerance is Tech 3341's +0.2 / -0.4 dB.
 */
class TruePeakTest {

  private static double measure(int rate, double hz, double phaseDeg, double peakDb) {
    TruePeak tp = new TruePeak(rate, 1);
    int n = rate; // one second
    float[] x = new float[n];
    double a = Math.pow(10, peakDb / 20);
    for (int i = 0; i < n; i++) {
      x[i] = (float) (a * Math.sin(2 * Math.PI * hz * i / rate + Math.toRadians(phaseDeg)));
    }
    tp.peak(x, 0, 1, n / 2, 0); // settle the filter
    return 20 * Math.log10(tp.peak(x, n / 2, 1, n / 2, 0));
  }

  @ParameterizedTest
  @CsvSource({
    "48000, 12000, 0",
    "48000, 12000, 45",
    "48000, 12000, 60",
    "48000, 12000, 67.5",
    "44100, 11025, 45",
    "96000, 24000, 45",
    "48000, 1000, 17",
    "48000, 16000, 33",
    "192000, 997, 5"
  })
  void sinesReadTheirContinuousPeak(int rate, double hz, double phase) {
    double db = measure(rate, hz, phase, -6);
    assertTrue(
        db <= -6 + 0.2 && db >= -6 - 0.4, rate + " Hz, " + hz + " Hz, " + phase + "°: " + db);
  }

  @ParameterizedTest
  @CsvSource({"48000", "44100", "96000"})
  void fs4SineAt45DegreesHidesThreeDecibelsFromSamplePeak(int rate) {
    // Samples of a fs/4 sine at 45° sit at 0.707 of its crest: sample peak -9.01 dBFS, true peak
    // -6.
    assertEquals(-6, measure(rate, rate / 4.0, 45, -6), 0.2);
  }

  @ParameterizedTest
  @CsvSource({"48000", "96000", "192000"})
  void skippingBlocksThatCannotRaiseTheMaxGivesTheSameMax(int rate) {
    java.util.Random rnd = new java.util.Random(5);
    float[] x = new float[rate];
    for (int i = 0; i < x.length; i++) {
      // Bursts of loud noise between long quiet stretches, so that many blocks are skipped.
      double env = (i / 4800) % 7 == 3 ? 0.9 : 0.05;
      x[i] = (float) (env * (rnd.nextDouble() * 2 - 1));
    }
    TruePeak every = new TruePeak(rate, 1);
    TruePeak skipping = new TruePeak(rate, 1);
    float maxEvery = 0;
    float maxSkipping = 0;
    for (int at = 0; at + 480 <= x.length; at += 480) {
      maxEvery = Math.max(maxEvery, every.peak(x, at, 1, 480, 0));
      maxSkipping = Math.max(maxSkipping, skipping.peakAbove(x, at, 1, 480, 0, maxSkipping));
      assertEquals(maxEvery, maxSkipping, 1e-6);
    }
    assertTrue(maxEvery > 0.85);
  }
}
