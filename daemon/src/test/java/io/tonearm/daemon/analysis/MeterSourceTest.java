package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.events.FrameBody;
import io.tonearm.proto.v1.ChannelLevels;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.MeterFrame;
import org.junit.jupiter.api.Test;

class MeterSourceTest {

  private final AnalysisTap tap = new AnalysisTap();
  private final MeterSource source = new MeterSource(tap.meters());
  private final FrameView view =
      source.normalize(FrameView.newBuilder().setTopic("meters").build());

  /** The frame as the stream sends it; its bytes are protobuf's encoding of what they parse to. */
  private static MeterFrame render(MeterSource source, FrameView view, long now) {
    FrameBody out = new FrameBody();
    assertEquals(Envelope.METERS_FIELD_NUMBER, source.renderWire(view, now, out));
    byte[] bytes = java.util.Arrays.copyOf(out.array(), out.length());
    try {
      MeterFrame f = MeterFrame.parseFrom(bytes);
      org.junit.jupiter.api.Assertions.assertArrayEquals(f.toByteArray(), bytes);
      return f;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void steadyToneReadsItsLevelsAtTheHeardTime() {
    FakeOutput out = new FakeOutput(tap, 48_000, 2);
    out.sine(1000, -20, 5);
    long now = FakeOutput.T0 + 4_000_000;
    MeterFrame f = render(source, view, now);
    assertTrue(f.getPresentationUs() <= now && f.getPresentationUs() > now - 30_000);
    assertEquals(-20, f.getMomentaryLufs(), 0.1);
    assertEquals(-20, f.getShortTermLufs(), 0.1);
    assertEquals(-20, f.getIntegratedLufs(), 0.1);
    assertEquals(1, f.getCorrelation(), 1e-3);
    assertEquals(0, f.getBalance(), 1e-3);
    assertEquals(-20, f.getMaxTruePeakDbtp(), 0.2);
    assertEquals(-20 + 20, f.getPlrLu(), 0.3);
    ChannelLevels left = f.getChannels(0);
    assertEquals(-20, left.getSamplePeakDbfs(), 0.1);
    assertEquals(-23.01, left.getRmsDbfs(), 0.1);
  }

  @Test
  void readsTheSnapshotHeardNotTheNewestWritten() {
    FakeOutput out = new FakeOutput(tap, 48_000, 2);
    out.sine(1000, -40, 3);
    out.sine(1000, -10, 3);
    // Everything was written; at 2.5 s only the quiet part has been heard.
    MeterFrame f = render(source, view, FakeOutput.T0 + 2_500_000);
    assertEquals(-40, f.getMomentaryLufs(), 0.1);
  }

  @Test
  void trackChangeResetsIntegratedLoudness() {
    FakeOutput out = new FakeOutput(tap, 44_100, 2);
    out.sine(1000, -10, 3);
    tap.trackChanged("next", out.nextMicros());
    out.sine(1000, -30, 3);
    MeterFrame f = render(source, view, out.nextMicros());
    assertEquals(-30, f.getIntegratedLufs(), 0.1);
    assertEquals(-30, f.getChannels(1).getMaxTruePeakDbtp(), 0.2);
  }

  @Test
  void nanInfinityAndSilenceNeverReachAFrame() {
    FakeOutput out = new FakeOutput(tap, 48_000, 2);
    float[] bad = new float[2048];
    for (int i = 0; i < bad.length; i++) {
      bad[i] =
          i % 3 == 0 ? Float.NaN : i % 3 == 1 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
    }
    for (int i = 0; i < 100; i++) {
      out.play(bad, 1024);
    }
    out.silence(1);
    MeterFrame f = render(source, view, out.nextMicros());
    assertFinite(f);
  }

  @Test
  void rendersNothingBeforeAudioOrAfterItStops() {
    assertNull(source.render(view, FakeOutput.T0));
    FakeOutput out = new FakeOutput(tap, 48_000, 2);
    out.sine(1000, -20, 1);
    assertNull(source.render(view, out.nextMicros() + 2_000_000));
  }

  @Test
  void onDemandMetersMeasureOnlyOnceWatchedAndIntegrateFromThere() {
    AnalysisTap lazy = new AnalysisTap(true);
    MeterSource lazySource = new MeterSource(lazy.meters());
    FakeOutput out = new FakeOutput(lazy, 48_000, 2);
    out.sine(1000, -10, 3); // nobody watches: not measured
    assertNull(lazySource.render(view, out.nextMicros()));
    out.sine(1000, -30, 3); // watched since the render above
    MeterFrame f = render(lazySource, view, out.nextMicros());
    assertEquals(-30, f.getIntegratedLufs(), 0.1);
    assertEquals(-30, f.getMaxTruePeakDbtp(), 0.2);
  }

  @Test
  void fpsAbove120IsRejectedNamingTheLimit() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> source.normalize(FrameView.newBuilder().setTopic("meters").setFps(121).build()));
    assertTrue(e.getMessage().contains("120"));
    assertEquals(30, view.getFps());
  }

  private static void assertFinite(MeterFrame f) {
    for (float v :
        new float[] {
          f.getMomentaryLufs(), f.getShortTermLufs(), f.getIntegratedLufs(),
          f.getLoudnessRangeLu(), f.getPlrLu(), f.getMaxTruePeakDbtp(),
          f.getCorrelation(), f.getBalance(), f.getMaxMomentaryLufs()
        }) {
      assertTrue(Float.isFinite(v), f.toString());
    }
    for (ChannelLevels c : f.getChannelsList()) {
      assertTrue(Float.isFinite(c.getSamplePeakDbfs()) && Float.isFinite(c.getRmsDbfs()));
      assertTrue(Float.isFinite(c.getTruePeakDbtp()) && Float.isFinite(c.getMaxTruePeakDbtp()));
    }
  }
}
