package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.decode.StemLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StemMixerTest {

  static final int RATE = 48_000;
  static final int FRAMES = 960;
  static final StemLayout FOUR =
      new StemLayout(
          List.of("bass", "drums", "other", "vocals"), List.of(false, false, false, true));
  static final double[] HZ = {110, 220, 440, 880};

  /** Stem {@code s}'s sample at frame {@code f}, channel {@code c}: a sine per stem and side. */
  static float stem(int s, int f, int c) {
    return (float) ((0.2 + 0.05 * c) * Math.sin(2 * Math.PI * HZ[s] * f / RATE + c));
  }

  /** One block of the four stems apart, as the decoder thread hands it over. */
  static float[] block(int fromFrame) {
    float[] b = new float[FRAMES * 4 * 2];
    for (int f = 0; f < FRAMES; f++) {
      for (int s = 0; s < 4; s++) {
        for (int c = 0; c < 2; c++) {
          b[(f * 4 + s) * 2 + c] = stem(s, fromFrame + f, c);
        }
      }
    }
    return b;
  }

  static float[] mixed(StemMixer m, int fromFrame) {
    float[] out = m.mix(block(fromFrame), 0, FRAMES, FOUR, RATE);
    return java.util.Arrays.copyOf(out, FRAMES * 2);
  }

  /** Asserts out == sum of gainL/R[s] x stem s, sample by sample. */
  static void assertSum(float[] out, int fromFrame, float[] gainL, float[] gainR) {
    for (int f = 0; f < FRAMES; f++) {
      for (int c = 0; c < 2; c++) {
        double want = 0;
        for (int s = 0; s < 4; s++) {
          want += (c == 0 ? gainL[s] : gainR[s]) * stem(s, fromFrame + f, c);
        }
        assertEquals(want, out[2 * f + c], 1e-6, "frame " + f + " channel " + c);
      }
    }
  }

  static MixerSettings.Strip gain(float g) {
    return new MixerSettings.Strip(g, false, false, 0f);
  }

  @Test
  void fourSineStemsMixedWithGivenGainsEqualTheSumSampleBySample() {
    StemMixer m = new StemMixer();
    m.apply(
        new MixerSettings(
            0.5f, 0.8f, Map.of("bass", gain(1.0f), "drums", gain(0.25f), "other", gain(2.0f))));
    float[] g = {0.8f, 0.2f, 1.6f, 0.5f}; // instrumental x strip; vocals at the vocal volume
    assertSum(mixed(m, 0), 0, g, g);
    assertSum(mixed(m, FRAMES), FRAMES, g, g); // and the next block goes on with the same gains
  }

  @Test
  void neutralSettingsGiveThePlainSum() {
    StemMixer m = new StemMixer();
    float[] one = {1, 1, 1, 1};
    assertSum(mixed(m, 0), 0, one, one);
  }

  @Test
  void soloHearsOnlyTheSoloedStemsAndMuteSilencesOne() {
    StemMixer m = new StemMixer();
    m.apply(
        new MixerSettings(
            1f,
            1f,
            Map.of(
                "drums", new MixerSettings.Strip(1f, false, true, 0f),
                "vocals", new MixerSettings.Strip(0.5f, false, true, 0f),
                "bass", new MixerSettings.Strip(1f, true, true, 0f))));
    float[] g = {0f, 1f, 0f, 0.5f}; // bass soloed but muted: mute wins
    assertSum(mixed(m, 0), 0, g, g);

    StemMixer m2 = new StemMixer();
    m2.apply(
        new MixerSettings(1f, 1f, Map.of("other", new MixerSettings.Strip(1f, true, false, 0f))));
    float[] g2 = {1f, 1f, 0f, 1f};
    assertSum(mixed(m2, 0), 0, g2, g2);
  }

  @Test
  void panIsABalanceThatLowersTheFarSide() {
    StemMixer m = new StemMixer();
    m.apply(
        new MixerSettings(
            1f,
            1f,
            Map.of(
                "bass", new MixerSettings.Strip(1f, false, false, -0.5f),
                "drums", new MixerSettings.Strip(1f, false, false, 1f))));
    assertSum(mixed(m, 0), 0, new float[] {1f, 0f, 1f, 1f}, new float[] {0.5f, 1f, 1f, 1f});
  }

  @Test
  void aChangeRampsOverTenMillisecondsInsteadOfStepping() {
    StemLayout one = new StemLayout(List.of("vocals"), List.of(true));
    float[] dc = new float[FRAMES * 2];
    java.util.Arrays.fill(dc, 1f);
    StemMixer m = new StemMixer();
    m.mix(dc, 0, FRAMES, one, RATE);
    m.apply(new MixerSettings(0f, 1f, Map.of()));
    List<Float> left = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      float[] out = m.mix(dc, 0, FRAMES, one, RATE);
      for (int f = 0; f < FRAMES; f++) {
        left.add(out[2 * f]);
      }
    }
    float step = 1f / (0.010f * RATE);
    for (int i = 1; i < left.size(); i++) {
      assertTrue(Math.abs(left.get(i) - left.get(i - 1)) <= step + 1e-6, "step at " + i);
    }
    assertEquals(1f - step, left.get(0), 1e-6);
    int reached = left.indexOf(0f);
    assertEquals(480 - 1, reached, 1, "full scale in 10 ms = 480 frames");
  }

  @Test
  void theLayoutListenerHearsEachChangeOnce() {
    StemMixer m = new StemMixer();
    List<StemLayout> seen = new ArrayList<>();
    m.onLayout((l, c) -> seen.add(l));
    m.mix(block(0), 0, FRAMES, FOUR, RATE);
    m.mix(block(0), 0, FRAMES, FOUR, RATE);
    m.process(new float[FRAMES * 2], 0, FRAMES, 2, RATE);
    m.process(new float[FRAMES * 2], 0, FRAMES, 2, RATE);
    m.mix(block(0), 0, FRAMES, FOUR, RATE);
    assertEquals(java.util.Arrays.asList(FOUR, null, FOUR), seen);
  }
}
