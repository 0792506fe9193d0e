package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.OnsetFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnsetSourceTest {

  private static final int RATE = 48_000;

  private final AnalysisTap tap = new AnalysisTap();
  private final OnsetSource source = new OnsetSource(tap.ring());
  private final FrameView view =
      source.normalize(FrameView.newBuilder().setTopic("onsets").build());

  @Test
  void clickTrackGivesOnsetsAtTheClicksAndItsTempo() {
    // A click track as an output plays it: 20 ms bursts of a 2 kHz tone every 0.5 s (120 BPM), in
    // blocks of 1024 frames, with a frame rendered at 30 fps on the heard time as the blocks go.
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    int beat = RATE / 2;
    float[] block = new float[2 * 1024];
    List<Long> clicks = new ArrayList<>();
    List<Long> onsets = new ArrayList<>();
    OnsetFrame last = null;
    long tick = FakeOutput.T0 + 1_000_000 / 30;
    for (int f = 0; f < 12 * RATE; f += 1024) {
      for (int i = 0; i < 1024; i++) {
        int inBeat = (f + i) % beat;
        if (inBeat == 0) {
          clicks.add(FakeOutput.T0 + (f + i) * 1_000_000L / RATE);
        }
        float v =
            inBeat < RATE / 50 ? (float) (0.5 * Math.sin(2 * Math.PI * 2000 * inBeat / RATE)) : 0f;
        block[2 * i] = v;
        block[2 * i + 1] = v;
      }
      out.play(block, 1024);
      while (tick < out.nextMicros()) {
        last = source.render(view, tick).getOnsets();
        onsets.addAll(last.getOnsetUsList());
        tick += 1_000_000 / 30;
      }
    }
    assertEquals(120, last.getTempoBpm(), 2);
    assertTrue(last.getTempoConfidence() > 0.3, "confidence " + last.getTempoConfidence());
    // Every click after the first second is found once, within one hop (10.7 ms) of its start.
    int found = 0;
    for (long c : clicks) {
      if (c < FakeOutput.T0 + 1_000_000 || c > out.nextMicros() - 200_000) {
        continue;
      }
      long hits = onsets.stream().filter(o -> Math.abs(o - c) <= 11_000).count();
      assertEquals(1, hits, "click at " + (c - FakeOutput.T0) + " us");
      found++;
    }
    assertTrue(found >= 18, found + " clicks found");
    assertTrue(onsets.size() <= clicks.size(), onsets.size() + " onsets");
  }

  @Test
  void silenceHasNoOnsetsNoTempoAndFiniteValues() {
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    out.silence(3);
    OnsetFrame f = source.render(view, out.nextMicros()).getOnsets();
    assertEquals(0, f.getOnsetUsCount());
    assertEquals(0, f.getTempoBpm());
    assertTrue(Float.isFinite(f.getStrength()));
  }
}
