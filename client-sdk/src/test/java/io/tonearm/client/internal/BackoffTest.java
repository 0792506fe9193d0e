package io.tonearm.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void ceilingDoublesUpToMax() {
    Backoff b = new Backoff(100, 1000, x -> x);
    assertEquals(100, b.ceilingMillis(0));
    assertEquals(200, b.ceilingMillis(1));
    assertEquals(800, b.ceilingMillis(3));
    assertEquals(1000, b.ceilingMillis(4));
    assertEquals(1000, b.ceilingMillis(5000));
  }

  @Test
  void delayIsTheRandomDrawWithinTheCeiling() {
    assertEquals(400, new Backoff(100, 1000, x -> x).delayMillis(2));
    assertEquals(0, new Backoff(100, 1000, x -> 0).delayMillis(7));
    assertEquals(1000, new Backoff(100, 1000, x -> Long.MAX_VALUE).delayMillis(9));
  }

  @Test
  void hugeAttemptDoesNotOverflow() {
    Backoff b = new Backoff(3, Long.MAX_VALUE / 2, x -> x);
    assertEquals(Long.MAX_VALUE / 2, b.ceilingMillis(Integer.MAX_VALUE));
  }

  @Test
  void rejectsBadBounds() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10, x -> x));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(10, 5, x -> x));
  }
}
