package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CentreCancelTest {

  static final int RATE = 48_000;

  /** Two seconds of stereo: {@code centre} on both sides in phase, {@code side} in anti-phase. */
  static float[] signal(double centreHz, double centreAmp, double sideHz, double sideAmp) {
    int n = 2 * RATE;
    float[] s = new float[2 * n];
    for (int f = 0; f < n; f++) {
      double c = centreAmp * Math.sin(2 * Math.PI * centreHz * f / RATE);
      double d = sideAmp * Math.sin(2 * Math.PI * sideHz * f / RATE);
      s[2 * f] = (float) (c + d);
      s[2 * f + 1] = (float) (c - d);
    }
    return s;
  }

  /** RMS over the second second, both channels. */
  static double rms(float[] s) {
    double sum = 0;
    int from = s.length / 2;
    for (int i = from; i < s.length; i++) {
      sum += s[i] * s[i];
    }
    return Math.sqrt(sum / (s.length - from));
  }

  /** Runs {@code s} through the mixer's stereo path in 20 ms blocks. */
  static float[] run(StemMixer m, float[] s) {
    float[] out = s.clone();
    for (int at = 0; at < out.length; at += 2 * 960) {
      m.process(out, at, Math.min(960, (out.length - at) / 2), 2, RATE);
    }
    return out;
  }

  @Test
  void vocalVolumeZeroRemovesACentredToneByAtLeast30Db() {
    StemMixer m = new StemMixer();
    m.apply(new MixerSettings(0f, 1f, Map.of()));
    for (double hz : new double[] {300, 1000, 3000}) {
      float[] in = signal(hz, 0.5, 1000, 0);
      double db = 20 * Math.log10(rms(run(m, in)) / rms(in));
      assertTrue(db <= -30, hz + " Hz centred tone only " + db + " dB down");
    }
  }

  @Test
  void aSideToneStaysWithin1DbWhileTheCentreIsCancelled() {
    StemMixer m = new StemMixer();
    m.apply(new MixerSettings(0f, 1f, Map.of()));
    float[] side = signal(1000, 0, 1000, 0.3);
    double db = 20 * Math.log10(rms(run(m, side)) / rms(side));
    assertEquals(0, db, 1.0, "side tone changed by " + db + " dB");

    float[] both = signal(1000, 0.5, 700, 0.3); // centre and side together: the side remains
    double kept = 20 * Math.log10(rms(run(m, both)) / rms(signal(1000, 0, 700, 0.3)));
    assertEquals(0, kept, 1.0);
  }

  @Test
  void bassAndAirInTheCentreStayAtInstrumentalVolume() {
    StemMixer m = new StemMixer();
    m.apply(new MixerSettings(0f, 1f, Map.of()));
    for (double hz : new double[] {40, 16_000}) {
      float[] in = signal(hz, 0.5, 1000, 0);
      double db = 20 * Math.log10(rms(run(m, in)) / rms(in));
      assertEquals(0, db, 1.0, hz + " Hz centred tone moved by " + db + " dB");
    }
  }

  @Test
  void unityVolumesLeaveTheTrackUntouched() {
    StemMixer m = new StemMixer();
    float[] in = signal(1000, 0.5, 700, 0.3);
    assertArrayEquals(in, run(m, in), 0f);
  }

  @Test
  void switchingTheReductionOnFadesInWithoutAStep() {
    StemMixer m = new StemMixer();
    float[] in = signal(1000, 0.5, 700, 0); // centred tone, peak 0.5
    float[] out = in.clone();
    m.process(out, 0, 960, 2, RATE);
    m.apply(new MixerSettings(0f, 1f, Map.of()));
    for (int at = 2 * 960; at < out.length; at += 2 * 960) {
      m.process(out, at, 960, 2, RATE);
    }
    // a 1 kHz sine of 0.5 moves at most 2*pi*1000/48000*0.5 = 0.065 a sample; a click would jump
    double maxStep = 0;
    for (int i = 2; i < out.length; i += 2) {
      maxStep = Math.max(maxStep, Math.abs(out[i] - out[i - 2]));
    }
    assertTrue(maxStep < 0.07, "largest sample step " + maxStep);
  }
}
