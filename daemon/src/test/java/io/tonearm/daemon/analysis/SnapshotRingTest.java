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

  private static void put(SnapshotRing ring, long at, double value) {
    int base = ring.next();
    double[] s = ring.data();
    s[base + SnapshotRing.AT] = at;
    s[base + SnapshotRing.RATE] = 48_000;
    s[base + 2] = value;
    ring.publish(null);
  }

  @Test
  void aRestartForgetsTheEarlierRunsSnapshots() {
    SnapshotRing ring = new SnapshotRing(16, 3);
    double[] dst = new double[3];
    put(ring, 1_000_000, 0.1);
    put(ring, 1_010_000, 0.2);
    assertSame(SnapshotRing.UNTAGGED, ring.read(1_010_000, dst));
    // Nobody watched for a minute; measuring starts again with a block heard 0.5 s from now.
    ring.restart();
    put(ring, 61_500_000, 0.3);
    assertSame(
        SnapshotRing.NONE,
        ring.read(61_000_000, dst),
        "the minute-old snapshot is not served while the new one is not heard yet");
    assertSame(SnapshotRing.UNTAGGED, ring.read(61_500_000, dst));
    assertArrayEquals(new double[] {61_500_000, 48_000, 0.3}, dst);
    // A flush of everything not heard goes no further back than the restart.
    ring.discardUnheard(61_000_000);
    put(ring, 61_600_000, 0.4);
    assertSame(SnapshotRing.UNTAGGED, ring.read(61_600_000, dst));
    assertArrayEquals(new double[] {61_600_000, 48_000, 0.4}, dst);
  }
}
