package io.tonearm.daemon.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WallClockTest {

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  /**
   * A reading taken between two readings of the system clock lies between them, within the
   * calibration's own bound (a few µs): the stamp is not early by the millisecond a calibration
   * against {@code currentTimeMillis} truncated away. Holds however long the thread waits between
   * the readings; only a step of the system clock since start-up would break it.
   */
  @Test
  void readsTheSystemClockToTheMicrosecond() {
    long error = WallClock.calibrationErrorMicros();
    for (int i = 0; i < 3; i++) {
      long before = micros(Instant.now());
      long stamp = WallClock.micros();
      long after = micros(Instant.now());
      assertTrue(
          stamp >= before - error && stamp <= after + error,
          "stamp " + stamp + " outside [" + before + ", " + after + "] +- " + error + " us");
    }
  }
}
