package io.tonearm.bench;

import java.time.Instant;

/**
 * Wall-clock microseconds without allocating: calibrated once against {@link Instant#now()} (the
 * clock the daemon stamps {@code server_time_us} with), then advanced by {@link System#nanoTime}.
 */
final class WallClock {

  private static final long OFFSET_US;

  static {
    Instant now = Instant.now();
    long nanos = System.nanoTime();
    OFFSET_US = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000 - nanos / 1_000;
  }

  private WallClock() {}

  static long micros() {
    return System.nanoTime() / 1_000 + OFFSET_US;
  }
}
