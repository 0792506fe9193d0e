package io.tonearm.daemon.audio;

import java.time.Instant;

/**
 * Server wall-clock time in microseconds since the Unix epoch, as events and frames carry it: the
 * system clock read once at start-up with its full precision, then advanced by {@link
 * System#nanoTime}, so that the time never jumps when NTP adjusts the system clock.
 *
 * <p>The start-up reading is {@link Instant#now} (microseconds or better on Linux), taken between
 * two {@code nanoTime} readings, the closest of a few pairs. It was {@link
 * System#currentTimeMillis}, whose truncation to the millisecond made every stamp early by a fixed
 * 0 to 999 µs per process run: a client that compares {@code server_time_us} with its own
 * synchronised clock (or a bench on the same machine) saw every frame and event up to a millisecond
 * older than it was.
 */
public final class WallClock {

  private static final long[] CALIBRATION = calibrate();
  private static final long OFFSET_MICROS = CALIBRATION[0];

  private WallClock() {}

  public static long micros() {
    return OFFSET_MICROS + System.nanoTime() / 1000;
  }

  /**
   * How far {@link #micros} can be from the system clock's reading at start-up, in µs: half the
   * time the best calibration read took, plus the truncation to microseconds.
   */
  public static long calibrationErrorMicros() {
    return CALIBRATION[1];
  }

  /** The offset from nanoTime's microseconds to the epoch's, and its error bound, µs. */
  private static long[] calibrate() {
    long best = Long.MAX_VALUE;
    long offset = 0;
    for (int i = 0; i < 5; i++) {
      long before = System.nanoTime();
      Instant now = Instant.now();
      long after = System.nanoTime();
      if (after - before < best) {
        best = after - before;
        long mid = before + (after - before) / 2;
        offset = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000 - mid / 1_000;
      }
    }
    return new long[] {offset, best / 2_000 + 2};
  }
}
