package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.proto.v1.ChannelSelect;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.MeterFrame;
import org.junit.jupiter.api.Test;

/**
 * The analysis follows what is heard: samples written ahead and then dropped by the output (stop,
 * seek, skip) are never shown, a pause stops frames at once and shifts what waits in the output,
 * and after the last sample heard frames stop instead of repeating.
 */
class AnalysisTapTest {

  private static final int RATE = 48_000;
  private static final long T0 = FakeOutput.T0;

  private final AnalysisTap tap = new AnalysisTap();
  private final PlayedRing ring = tap.ring();
  private final MeterSource meters = new MeterSource(tap.meters());
  private final FrameView view =
      meters.normalize(FrameView.newBuilder().setTopic("meters").build());

  private static long at(double seconds) {
    return T0 + Math.round(seconds * 1e6);
  }

  @Test
  void aFlushForgetsWhatWasWrittenButNotHeard() {
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    out.sine(1000, -6, 1); // written ahead: heard from T0 to T0 + 1 s
    tap.discontinuity(at(0.3)); // stop at 0.3 s: the output drops the other 0.7 s
    assertEquals(0.3 * RATE + 1, ring.written(), 1, "only what was heard is kept");
    assertEquals(0, ring.freshEnd(at(0.4)), "no frame from the dropped audio");
    assertNull(meters.render(view, at(0.4)), "no meters from the dropped audio");
    // A seek's first blocks, heard from 0.5 s: silence, and frames show it, not the old sine.
    float[] silence = new float[2 * 4800];
    tap.accept(silence, 0, 4800, 2, RATE, at(0.5));
    tap.accept(silence, 0, 4800, 2, RATE, at(0.6));
    long end = ring.freshEnd(at(0.65));
    assertTrue(end > 0);
    float[] window = new float[1000];
    ring.copy(ChannelSelect.CHANNEL_SELECT_LEFT, end, 1000, window);
    assertArrayEquals(new float[1000], window);
    MeterFrame f = meters.render(view, at(0.65)).getMeters();
    assertTrue(f.getPresentationUs() >= at(0.5), "the snapshot of the new block");
  }

  @Test
  void framesStopAtThePauseAndTheWaitingAudioIsHeardAfterTheResume() {
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    out.sine(1000, -6, 1);
    tap.pause(at(0.3));
    assertEquals(0, ring.freshEnd(at(0.31)));
    assertNull(meters.render(view, at(0.31)));
    assertEquals(0, ring.freshEnd(at(0.9)), "the paused output holds 0.7 s: none of it is heard");
    tap.resume(at(5));
    assertEquals(0.3 * RATE + 1, ring.freshEnd(at(5)), 1, "the frame heard at the pause follows");
    assertEquals(0.5 * RATE + 1, ring.freshEnd(at(5.2)), 1);
    MeterFrame f = meters.render(view, at(5.2)).getMeters();
    assertTrue(f.getPresentationUs() <= at(5.2) && f.getPresentationUs() > at(5.15));
    assertEquals(0, ring.freshEnd(at(5.71)), "the rest was heard by 5.7 s");
  }

  @Test
  void afterTheLastSampleHeardFramesStopRatherThanRepeat() {
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    out.sine(1000, -6, 1); // the end of the queue: nothing follows
    assertEquals(RATE, ring.freshEnd(at(1)));
    assertNotNull(meters.render(view, at(1)));
    assertEquals(0, ring.freshEnd(at(1.01)));
    assertNull(meters.render(view, at(1.01)));
  }

  @Test
  void aStopWhilePausedDropsWhatThePauseHeld() {
    FakeOutput out = new FakeOutput(tap, RATE, 2);
    out.sine(1000, -6, 1);
    tap.pause(at(0.3));
    tap.discontinuity(at(2)); // stopped two seconds into the pause
    tap.resume(at(3));
    assertEquals(0.3 * RATE + 1, ring.written(), 1);
    assertEquals(0, ring.freshEnd(at(3.1)));
    assertNull(meters.render(view, at(3.1)));
  }

  @Test
  void onDemandTheRingKeepsSamplesOnlyWhileReadAndStartsAfreshWhenReadAgain() {
    long[] clock = {0};
    AnalysisTap lazy = new AnalysisTap(new PlayedRing(true, () -> clock[0]), true);
    PlayedRing r = lazy.ring();
    FakeOutput out = new FakeOutput(lazy, RATE, 2);
    out.sine(1000, -6, 1); // nobody reads: nothing is kept
    assertFalse(r.holdsPlanes());
    assertEquals(0, r.freshEnd(out.nextMicros()), "nothing kept, nothing audible");
    long resumed = out.nextMicros();
    out.sine(1000, -6, 0.5); // read just now: kept
    assertTrue(r.holdsPlanes());
    assertEquals(0, r.freshEnd(resumed - 1000), "nothing audible before the first kept block");
    long end = r.freshEnd(out.nextMicros());
    assertTrue(end > 0);
    float[] x = new float[RATE];
    r.copy(ChannelSelect.CHANNEL_SELECT_MONO, end, RATE, x); // one second back
    assertEquals(0, peak(x, 0, RATE / 2 - 1), "the half second before the kept block reads 0");
    assertEquals(Signals.amp(-6), peak(x, RATE / 2 + 1, RATE), 1e-3);

    clock[0] += PlayedRing.WATCH_NANOS; // the reader left
    out.sine(440, -6, 1);
    assertFalse(r.holdsPlanes(), "the planes go back to the heap");
    long again = out.nextMicros();
    assertEquals(0, r.freshEnd(again), "the unkept second is not audible");
    out.sine(440, -6, 0.25);
    assertEquals(0, r.freshEnd(again - 1000));
    end = r.freshEnd(out.nextMicros());
    r.copy(ChannelSelect.CHANNEL_SELECT_MONO, end, RATE, x);
    assertEquals(0, peak(x, 0, RATE * 3 / 4 - 1), "never samples from before the reader left");
    assertEquals(Signals.amp(-6), peak(x, RATE * 3 / 4 + 1, RATE), 1e-3);
  }

  @Test
  void aRingThatIsNotOnDemandKeepsEveryBlockUnread() {
    PlayedRing r = new PlayedRing(false, () -> Long.MAX_VALUE);
    AnalysisTap eager = new AnalysisTap(r, false);
    FakeOutput out = new FakeOutput(eager, RATE, 2);
    out.sine(1000, -6, 0.5);
    assertEquals(RATE / 2, r.written());
    assertTrue(r.freshEnd(out.nextMicros() - 1000) > 0);
  }

  private static float peak(float[] x, int from, int to) {
    float p = 0;
    for (int i = from; i < to; i++) {
      p = Math.max(p, Math.abs(x[i]));
    }
    return p;
  }
}
