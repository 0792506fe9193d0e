package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.decode.StemLayout;
import io.tonearm.daemon.dsp.MixerSettings;
import io.tonearm.daemon.dsp.StemMixer;
import io.tonearm.proto.v1.ChannelLevels;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.StemLevels;
import io.tonearm.proto.v1.StemMeterFrame;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stems of known levels through the real mixer into the stem meters, read as frames. */
class StemMeterSourceTest {

  private static final int RATE = 48_000;
  private static final int BLOCK = 960;
  private static final double MINUS_6_DB = Math.pow(10, -6 / 20.0);

  private final AnalysisTap tap = new AnalysisTap();
  private final StemMeterSource source = new StemMeterSource(tap.stemMeters());
  private final FrameView view =
      source.normalize(FrameView.newBuilder().setTopic("stem_meters").build());
  private final StemMixer mixer = new StemMixer();
  private final StemLayout layout =
      new StemLayout(List.of("vocals", "drums"), List.of(true, false));
  private long played;

  /** Plays {@code seconds} of a stem set: vocals a 1 kHz sine at -6 dBFS, drums silent. */
  private void play(double seconds) {
    float[] src = new float[BLOCK * 2 * layout.count()];
    float[] heard = new float[src.length];
    for (long end = played + (long) (seconds * RATE); played < end; played += BLOCK) {
      for (int f = 0; f < BLOCK; f++) {
        float v = (float) (MINUS_6_DB * Math.sin(2 * Math.PI * 1000 * (played + f) / RATE));
        src[4 * f] = v; // vocals left
        src[4 * f + 1] = v; // vocals right
        src[4 * f + 2] = 0; // drums
        src[4 * f + 3] = 0;
      }
      float[] mixed = mixer.mix(src, 0, BLOCK, layout, RATE, heard);
      tap.mixed(heard, layout, mixed, 0, BLOCK, 2, RATE, at(played));
    }
  }

  private static long at(long frame) {
    return FakeOutput.T0 + frame * 1_000_000L / RATE;
  }

  private StemMeterFrame frameNow() {
    return source.render(view, at(played) - 1).getStemMeters();
  }

  @Test
  void aMinus6DbSineStemAndASilentStemReadTheirLevels() {
    play(4);
    StemMeterFrame f = frameNow();
    assertEquals(RATE, f.getSampleRate());
    assertEquals(2, f.getStemsCount());
    StemLevels vocals = f.getStems(0);
    StemLevels drums = f.getStems(1);
    assertEquals("vocals", vocals.getName());
    assertTrue(vocals.getVocal());
    assertEquals("drums", drums.getName());
    for (ChannelLevels c : vocals.getChannelsList()) {
      assertEquals(-6.0, c.getSamplePeakDbfs(), 0.05);
      assertEquals(-9.01, c.getRmsDbfs(), 0.05);
      assertEquals(-6.0, c.getTruePeakDbtp(), 0.1);
      assertEquals(-6.0, c.getMaxTruePeakDbtp(), 0.1);
    }
    // A 1 kHz sine on both channels reads its level in LUFS (BS.1770's K-weighting is ~0 dB there).
    assertEquals(-6.0, vocals.getShortTermLufs(), 0.15);
    assertEquals(-6.0, vocals.getMomentaryLufs(), 0.15);
    for (ChannelLevels c : drums.getChannelsList()) {
      assertEquals(-150, c.getSamplePeakDbfs());
      assertEquals(-150, c.getRmsDbfs());
      assertEquals(-150, c.getTruePeakDbtp());
    }
    assertEquals(-150, drums.getShortTermLufs());
    StemLevels mix = f.getMix();
    assertEquals("", mix.getName());
    assertEquals(2, mix.getChannelsCount());
    assertEquals(-6.0, mix.getChannels(0).getSamplePeakDbfs(), 0.05);
    assertEquals(-6.0, mix.getShortTermLufs(), 0.15);
  }

  @Test
  void stemsAreMeteredAfterTheirStripAndRoleVolume() {
    // Vocal volume at half (-6.02 dB) and the vocals panned hard right: the left side falls silent.
    mixer.apply(
        new MixerSettings(
            0.5f, 1f, Map.of("vocals", new MixerSettings.Strip(1f, false, false, 1f))));
    play(4);
    StemLevels vocals = frameNow().getStems(0);
    assertEquals(-150, vocals.getChannels(0).getSamplePeakDbfs());
    assertEquals(-12.02, vocals.getChannels(1).getSamplePeakDbfs(), 0.05);
    assertEquals(-12.02, frameNow().getMix().getChannels(1).getSamplePeakDbfs(), 0.05);
  }

  @Test
  void readsTheBlockHeardNotTheNewestWritten() {
    play(2);
    long quietUntil = played;
    mixer.apply(new MixerSettings(0f, 1f, Map.of()));
    play(2);
    // Everything was written; a second before the vocals were muted, they still read -6 dBFS.
    StemMeterFrame f = source.render(view, at(quietUntil) - 1_000_000).getStemMeters();
    assertEquals(-6.0, f.getStems(0).getChannels(0).getSamplePeakDbfs(), 0.05);
    assertTrue(f.getPresentationUs() <= at(quietUntil) - 1_000_000);
    // Two seconds after the mute the RMS (300 ms) has fallen away; the peak falls 20 dB per 1.7 s.
    assertTrue(frameNow().getStems(0).getChannels(0).getRmsDbfs() < -30);
  }

  @Test
  void anOrdinaryTrackHasTheMixOnly() {
    float[] block = new float[BLOCK * 2];
    for (int f = 0; f < BLOCK; f++) {
      block[2 * f] = 0.25f;
      block[2 * f + 1] = -0.25f;
    }
    for (int i = 0; i < 10; i++, played += BLOCK) {
      tap.mixed(null, null, block, 0, BLOCK, 2, RATE, at(played));
    }
    StemMeterFrame f = frameNow();
    assertEquals(0, f.getStemsCount());
    assertEquals(-12.04, f.getMix().getChannels(0).getSamplePeakDbfs(), 0.05);
  }

  @Test
  void nothingIsRenderedBeforeAudioOrWhenItStopped() {
    assertNull(source.render(view, at(0)));
    play(1);
    assertNull(source.render(view, at(played) + 500_000), "past the last block: stopped");
  }

  @Test
  void pauseHoldsFramesBackAndADiscontinuityForgetsWhatWasNotHeard() {
    play(2);
    tap.pause(at(played / 2));
    assertNull(source.render(view, at(played / 2) + 1000), "paused");
    tap.resume(at(played / 2) + 5_000_000);
    assertTrue(source.render(view, at(played / 2) + 5_000_000 + 1000) != null, "resumed");
    tap.discontinuity(at(played / 2) + 5_000_000 + 1000);
    assertNull(
        source.render(view, at(played / 2) + 5_500_000), "what the outputs dropped is not heard");
  }
}
