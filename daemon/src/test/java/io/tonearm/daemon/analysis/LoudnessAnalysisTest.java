package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.daemon.testing.SamplesDecoder;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoudnessAnalysisTest {

  private static float[] tone(int rate, double dbfs, double seconds) {
    int n = (int) (rate * seconds);
    float[] x = new float[n * 2];
    double a = Signals.amp(dbfs);
    for (int i = 0; i < n; i++) {
      x[2 * i] = x[2 * i + 1] = (float) (a * Math.sin(2 * Math.PI * 1000 * i / rate));
    }
    return x;
  }

  @Test
  void ebuToneAtMinus23GetsPlusFiveReplayGain() throws Exception {
    // EBU Tech 3341 case 1 tone: -23 LUFS, so RG 2.0 gain = -18 - (-23) = +5 dB; peak -23 dBTP.
    LoudnessAnalysis.Result r =
        LoudnessAnalysis.analyze(new SamplesDecoder(tone(48_000, -23, 20), 48_000, 2, 1000));
    assertEquals(-23, r.integratedLufs(), 0.1);
    assertEquals(5, r.replayGainDb(), 0.1);
    assertEquals(-23, r.truePeakDbtp(), 0.1);
    assertEquals(Signals.amp(-23), r.replayGainPeak(), 0.002);
    assertEquals(0, r.loudnessRangeLu(), 0.1);
  }

  @Test
  void albumIsLoudnessOfTheConcatenatedBlocks() throws Exception {
    LoudnessAnalysis.Result loud =
        LoudnessAnalysis.analyze(new SamplesDecoder(tone(44_100, -20, 10), 44_100, 2, 1000));
    LoudnessAnalysis.Result quiet =
        LoudnessAnalysis.analyze(new SamplesDecoder(tone(44_100, -26, 10), 44_100, 2, 1000));
    LoudnessAnalysis.Result album = LoudnessAnalysis.album(List.of(loud, quiet));
    // Equal block counts: energy mean of -20 and -26 LUFS = -20 + 10 log10((1 + 10^-0.6) / 2).
    double expected = -20 + 10 * Math.log10((1 + Math.pow(10, -0.6)) / 2);
    assertEquals(expected, album.integratedLufs(), 0.1);
    assertEquals(-18 - expected, album.replayGainDb(), 0.1);
    assertEquals(-20, album.truePeakDbtp(), 0.1);
  }

  @Test
  void acceptSanitisesSamplesInPlaceAndKeepsTheirPeak() {
    LoudnessAnalysis.Track t = new LoudnessAnalysis.Track(48_000, 2);
    float[] quiet = {0.25f, -0.5f, -0f, 0.125f};
    t.accept(quiet, 0, 2);
    assertArrayEquals(new float[] {0.25f, -0.5f, -0f, 0.125f}, quiet); // -0 kept (bit for bit)
    assertEquals(0.5, t.result().samplePeak());
    float[] wild = {
      Float.NaN, -0f, 5f, -7f, 0.5f, -3.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1, 2
    };
    t.accept(wild, 2, 4); // the two frames before offset 2 are not the block's
    assertArrayEquals(
        new float[] {Float.NaN, -0f, 4f, -4f, 0.5f, -3.5f, 4f, -4f, 1, 2}, wild); // NaN -> 0 below
    assertEquals(4.0, t.result().samplePeak());
    float[] nan = {Float.NaN, -1.5f};
    LoudnessAnalysis.Track u = new LoudnessAnalysis.Track(48_000, 2);
    u.accept(nan, 0, 1);
    assertArrayEquals(new float[] {0f, -1.5f}, nan);
    assertEquals(1.5, u.result().samplePeak());
    // The limits themselves stay; the next float beyond them and a NaN with its sign bit set go.
    float up = Math.nextUp(4f);
    float[] edges = {4f, -4f, up, -up, Float.intBitsToFloat(0xffc00000), Float.MIN_VALUE};
    new LoudnessAnalysis.Track(48_000, 2).accept(edges, 0, 3);
    assertArrayEquals(new float[] {4f, -4f, 4f, -4f, 0f, Float.MIN_VALUE}, edges);
  }
}
