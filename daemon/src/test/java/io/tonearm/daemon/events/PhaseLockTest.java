package io.tonearm.daemon.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The relay's frame grid follows the arrivals: known phases in, known shifts out. */
class PhaseLockTest {

  private static final long P30 = 1_000_000_000L / 30; // 33,333,333 ns

  /** Feeds one window of arrivals at {@code phase} (+- jitter) of each 30 fps tick; the shift. */
  private static long window(FrameStreams.PhaseLock lock, long start, long phase, long jitter) {
    Random r = new Random(7);
    long shift = 0;
    for (int i = 0; i < FrameStreams.PhaseLock.WINDOW; i++) {
      long tick = start + i * 1_000_000_000L / 30;
      long j = jitter == 0 ? 0 : (long) ((r.nextDouble() * 2 - 1) * jitter);
      long at = tick + phase + j;
      shift = lock.arrival(30, at, at);
      if (i < FrameStreams.PhaseLock.WINDOW - 1) {
        assertEquals(0, shift, "no shift before a whole window");
      }
    }
    return shift;
  }

  @Test
  void arrivalsJustAfterTheTicksMoveTheTicksHalfAPeriodLater() {
    FrameStreams.PhaseLock lock = new FrameStreams.PhaseLock();
    // Arrivals 1 ms after each tick (+- 0.5 ms): ticks should fall at 1 ms + P/2, so the origin
    // moves by that much, or by that less a period (the same grid): into (-P/2, P/2].
    long shift = window(lock, 0, 1_000_000, 500_000);
    long want = 1_000_000 + P30 / 2 - P30; // -15.67 ms
    assertTrue(Math.abs(shift - want) < 200_000, shift + " vs " + want);
    // Seen from the moved grid the arrivals are half a period from its ticks: no further move.
    assertEquals(0, window(lock, -shift, 1_000_000, 500_000));
  }

  @Test
  void arrivalsAlreadyBetweenTheTicksLeaveTheGrid() {
    FrameStreams.PhaseLock lock = new FrameStreams.PhaseLock();
    assertEquals(0, window(lock, 0, P30 / 2 + 2_000_000, 1_000_000));
  }

  @Test
  void arrivalsSpreadOverThePeriodGiveNoPhase() {
    FrameStreams.PhaseLock lock = new FrameStreams.PhaseLock();
    assertEquals(0, window(lock, 0, 0, P30 / 2));
  }

  @Test
  void theFastestRateLeads() {
    FrameStreams.PhaseLock lock = new FrameStreams.PhaseLock();
    long p60 = 1_000_000_000L / 60;
    long shift = 0;
    for (int i = 0; i < FrameStreams.PhaseLock.WINDOW; i++) {
      long at60 = i * p60 + 2_000_000;
      shift = lock.arrival(60, at60, at60);
      // A 30 fps view's frames arriving meanwhile (a quarter period off) are not counted.
      assertEquals(0, lock.arrival(30, at60 + p60 / 4, at60 + p60 / 4));
    }
    long want = 2_000_000 + p60 / 2 - p60;
    assertTrue(Math.abs(shift - want) < 100_000, shift + " vs " + want);
  }

  @Test
  void thePhaseIsTheGridsAfterManyHours() {
    FrameStreams.PhaseLock lock = new FrameStreams.PhaseLock();
    long hours = 500L * 3_600_000_000_000L; // 500 h: a period of 33,333,333.3 ns, not 33,333,333
    long start = hours / P30 * P30; // near a tick of the true grid
    long k = hours / 1_000_000_000L * 30;
    long tick = k / 30 * 1_000_000_000L; // an exact tick of the grid (a whole second)
    assertEquals(0, window(lock, tick, P30 / 2, 0), "half a period after exact ticks: no move");
    assertTrue(start > 0);
  }
}
