package io.tonearm.daemon.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyedBucketsTest {

  @Test
  void burstThenRefusedUntilRefilled() {
    KeyedBuckets<String> b = new KeyedBuckets<>(10, 3, 100, 0);
    assertEquals(0, b.take("a", 0));
    assertEquals(0, b.take("a", 0));
    assertEquals(0, b.take("a", 0));
    assertEquals(100_000_000, b.take("a", 0), "one permit every 100 ms");
    assertEquals(0, b.take("b", 0), "another key has its own bucket");
    assertEquals(50_000_000, b.take("a", 50_000_000));
    assertEquals(0, b.take("a", 100_000_000));
  }

  @Test
  void peekTakesNothing() {
    KeyedBuckets<String> b = new KeyedBuckets<>(1, 1, 10, 0);
    assertEquals(0, b.peek("a", 0));
    assertEquals(0, b.take("a", 0));
    assertTrue(b.peek("a", 0) > 0);
    assertTrue(b.peek("a", 0) > 0);
    assertEquals(0, b.peek("a", 1_000_000_000));
  }

  @Test
  void keysAreBoundedIdleOnesForgottenBusyOnesShareTheOverflow() {
    KeyedBuckets<Integer> b = new KeyedBuckets<>(1, 2, 4, 0);
    for (int k = 0; k < 4; k++) {
      b.take(k, 0);
    }
    assertEquals(4, b.size());
    for (int k = 4; k < 10_000; k++) {
      b.take(k, 0); // none of the four has refilled: the new keys share one bucket
    }
    assertEquals(4, b.size(), "memory stays bounded whatever the number of keys");
    assertTrue(b.take(10_001, 0) > 0, "the shared overflow bucket is empty");
    assertEquals(0, b.take(20_000, 5_000_000_000L), "after a refill idle keys are dropped");
    assertTrue(b.size() <= 4);
  }
}
