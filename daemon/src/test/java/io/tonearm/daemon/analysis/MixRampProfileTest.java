package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class MixRampProfileTest {

  private static final int RATE = 44_100;

  /**
   * A stereo 1 kHz sine that fades in from -60 to 0 dBFS over 6 s (linear in dB: 10 dB/s), holds 4
   * s and fades out the same way over 6 s: 16 s. Its loudness reads its level (EBU Tech 3341), so
   * it first reaches -20 at 4 s and last does 4 s before the end.
   */
  public static float[] fade() {
    int frames = 16 * RATE;
    float[] x = new float[frames * 2];
    for (int i = 0; i < frames; i++) {
      double t = (double) i / RATE;
      double db = t < 6 ? -60 + 10 * t : t < 10 ? 0 : -10 * (t - 10);
      float v = (float) (Math.pow(10, db / 20) * Math.sin(2 * Math.PI * 1000 * t));
      x[2 * i] = v;
      x[2 * i + 1] = v;
    }
    return x;
  }

  /** The tag's pairs, level to seconds. */
  public static Map<Integer, Double> pairs(String tag) {
    Map<Integer, Double> m = new LinkedHashMap<>();
    for (String p : tag.split(";")) {
      String[] f = p.split(" ");
      m.put(Integer.parseInt(f[0]), Double.parseDouble(f[1]));
    }
    return m;
  }

  @Test
  void aFadeCrossesEachLevelWhenItsLoudnessDoes() {
    MixRampProfile p = new MixRampProfile(RATE, 2);
    float[] x = fade();
    for (int at = 0; at < x.length / 2; at += 1000) { // uneven blocks against the 100 ms steps
      p.accept(x, at * 2, Math.min(1000, x.length / 2 - at));
    }
    Map<Integer, Double> start = pairs(p.start());
    Map<Integer, Double> end = pairs(p.end());
    for (int level : new int[] {-50, -40, -30, -20, -10, -3}) {
      double crossing = (level + 60) / 10.0;
      assertEquals(crossing, start.get(level), 0.1, "start at " + level + " dB");
      assertEquals(crossing, end.get(level), 0.1, "end at " + level + " dB");
    }
    assertTrue(start.containsKey(-1), "the held part reaches -1 dB");
    assertFalse(start.containsKey(0) && start.get(0) < 5.9, "0 dB not before the fade's top");
    assertFalse(start.containsKey(-96) && start.get(-96) > 0.5, "quiet levels from the start");
    // By rising level, as MPD reads them; levels below -60 dB are reached at the first value.
    assertEquals(-96, start.keySet().iterator().next());
    int previous = -100;
    for (int level : start.keySet()) {
      assertTrue(level > previous);
      previous = level;
    }
  }

  @Test
  void silenceHasNoPairs() {
    MixRampProfile p = new MixRampProfile(RATE, 2);
    p.accept(new float[RATE * 2 * 2], 0, RATE * 2);
    assertEquals("", p.start());
    assertEquals("", p.end());
  }

  @Test
  void aProfileFollowingTheAnalysisMeterReadsWhatItsOwnMeterWould() {
    float[] x = fade();
    MixRampProfile own = new MixRampProfile(RATE, 2);
    LoudnessAnalysis.Track track = new LoudnessAnalysis.Track(RATE, 2);
    MixRampProfile following = MixRampProfile.following(track.meter(), RATE);
    java.util.Random r = new java.util.Random(7);
    for (int at = 0; at < x.length / 2; ) { // random blocks, across the 100 ms steps
      int n = Math.min(1 + r.nextInt(9000), x.length / 2 - at);
      float[] block = java.util.Arrays.copyOfRange(x, at * 2, (at + n) * 2);
      track.accept(block, 0, n); // as the analysis job: the track first, then the profile
      following.accept(block, 0, n);
      own.accept(block, 0, n);
      at += n;
    }
    assertEquals(own.start(), following.start());
    assertEquals(own.end(), following.end());
    assertEquals(pairs(own.start()).get(-20), 4.0, 0.1);
    assertEquals(-0.0, track.result().truePeakDbtp(), 0.1); // the track's own figures still there
  }
}
