package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SnapshotRingTest {

  @Test
  void aRingHoldsNoSlotsUntilTheWriterTakesOneAndThenReadsAsBefore() {
    SnapshotRing ring = new SnapshotRing(16, 3);
    double[] dst = new double[3];
    assertSame(SnapshotRing.NONE, ring.read(1_000_000, dst));
    ring.pause(1_000_000);
    ring.resume(2_000_000);
    ring.discardUnheard(2_000_000);
    assertSame(SnapshotRing.NONE, ring.read(2_000_000, dst));
    assertNull(ring.data(), "nothing written: no slots made");

    int base = ring.next();
    double[] s = ring.data();
    assertNotNull(s);
    s[base + SnapshotRing.AT] = 3_000_000;
    s[base + SnapshotRing.RATE] = 48_000;
    s[base + 2] = 0.25;
    Object tag = new Object();
    ring.publish(tag);

    assertSame(SnapshotRing.NONE, ring.read(2_999_999, dst), "not heard yet");
    assertSame(tag, ring.read(3_000_000, dst));
    assertArrayEquals(new double[] {3_000_000, 48_000, 0.25}, dst);
  }
}
