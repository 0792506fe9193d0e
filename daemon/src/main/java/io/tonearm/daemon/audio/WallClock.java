package io.tonearm.daemon.audio;

/**
 * Server wall-clock time in microseconds since the Unix epoch, as events and frames carry it:
 * {@link System#currentTimeMillis} for the epoch offset plus {@link System#nanoTime} for the
 * precision, fixed once so that the time never jumps when NTP adjusts the system clock.
 */
public final class WallClock {

  private static final long OFFSET_MICROS =
      System.currentTimeMillis() * 1000 - System.nanoTime() / 1000;

  private WallClock() {}

  public static long micros() {
    return OFFSET_MICROS + System.nanoTime() / 1000;
  }
}
