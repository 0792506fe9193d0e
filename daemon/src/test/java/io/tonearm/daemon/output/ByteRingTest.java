package io.tonearm.daemon.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ByteRingTest {

  @Test
  void wrapsAroundAndRefusesWhatDoesNotFit() {
    ByteRing r = new ByteRing(8);
    assertTrue(r.offer(new byte[] {1, 2, 3, 4, 5, 6}, 0, 6));
    byte[] out = new byte[8];
    assertEquals(4, r.peek(out, 4));
    r.skip(4);
    assertTrue(r.offer(new byte[] {7, 8, 9, 10, 11, 12}, 0, 6)); // wraps
    assertFalse(r.offer(new byte[] {13}, 0, 1)); // full: all or nothing
    assertEquals(8, r.peek(out, 8));
    assertArrayEquals(new byte[] {5, 6, 7, 8, 9, 10, 11, 12}, out);
  }
}
