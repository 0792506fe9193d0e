package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReplayGainSettingsTest {

  private static final TrackGain RG = new TrackGain(-6.0206, 0.9, 3.0, 0.8);

  @Test
  void trackAlbumAndAutoPickTheirValue() {
    assertEquals(
        0.5f,
        new ReplayGainSettings(ReplayGainMode.TRACK, 0, false, 0).linearGain(RG, false),
        1e-4);
    assertEquals(
        1.4125f,
        new ReplayGainSettings(ReplayGainMode.ALBUM, 0, false, 0).linearGain(RG, false),
        1e-4);
    ReplayGainSettings auto = new ReplayGainSettings(ReplayGainMode.AUTO, 0, false, 0);
    assertEquals(1.4125f, auto.linearGain(RG, false), 1e-4);
    assertEquals(0.5f, auto.linearGain(RG, true), 1e-4);
    assertEquals(1f, ReplayGainSettings.DEFAULT.linearGain(RG, false));
  }

  @Test
  void clippingPreventionCapsGainAtTheInversePeak() {
    // +3 dB album gain on a 0.8 peak would reach 1.13: capped to 1 / 0.8.
    assertEquals(
        1.25f,
        new ReplayGainSettings(ReplayGainMode.ALBUM, 0, true, 0).linearGain(RG, false),
        1e-6);
    assertEquals(
        2f,
        new ReplayGainSettings(ReplayGainMode.TRACK, 12.0412, false, 0).linearGain(RG, false),
        1e-4);
  }

  @Test
  void missingValuesFallBack() {
    TrackGain trackOnly = new TrackGain(-6.0206, 0.5, Double.NaN, Double.NaN);
    assertEquals(
        0.5f,
        new ReplayGainSettings(ReplayGainMode.ALBUM, 0, true, 0).linearGain(trackOnly, false),
        1e-4);
    assertEquals(
        0.5f,
        new ReplayGainSettings(ReplayGainMode.TRACK, 0, true, -6.0206)
            .linearGain(TrackGain.NONE, false),
        1e-4);
  }
}
