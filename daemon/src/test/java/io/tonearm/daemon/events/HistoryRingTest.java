package io.tonearm.daemon.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.proto.v1.Envelope;
import org.junit.jupiter.api.Test;

class HistoryRingTest {

  private static EncodedEvent event(long seq, int padding) {
    return new EncodedEvent(
        seq, Topic.PLAYER, Envelope.newBuilder().setSeq(seq).setEpoch("e".repeat(padding)).build());
  }

  @Test
  void keepsTheParsedFormOfItsNewestEventOnly() {
    HistoryRing ring = new HistoryRing(8, 1 << 20);
    EncodedEvent first = event(1, 3);
    Envelope message = first.envelope();
    byte[] json = EncodedEvent.jsonBytes(message);
    ring.append(first);
    assertTrue(first.holdsParsed(), "the publisher's listeners read the newest event");
    ring.append(event(2, 0));
    assertFalse(first.holdsParsed());
    assertTrue(ring.get(2).holdsParsed());
    assertEquals(message, first.envelope(), "parsed again from its bytes");
    assertArrayEquals(json, first.json());
    assertArrayEquals(json, bytes(first.webSocketFrame(true).position(2)), "a short text frame");
  }

  @Test
  void makesEventsPastTheHotEndAgainFromTheirBytes() {
    HistoryRing ring = new HistoryRing(4 * HistoryRing.HOT, 1 << 24);
    EncodedEvent[] appended = new EncodedEvent[HistoryRing.HOT + 3];
    long total = 0;
    for (int s = 1; s <= HistoryRing.HOT + 2; s++) {
      EncodedEvent e = zoned(s, 40, s % 2 == 0 ? "kitchen" : "");
      total += e.size();
      e.cumulativeBytes(total);
      ring.append(e);
      e.webSocketFrame(false); // as the fan-out makes them
      e.webSocketFrame(true);
      appended[s] = e;
    }
    EncodedEvent first = ring.get(1);
    EncodedEvent second = ring.get(2);
    assertNotSame(appended[1], first, HistoryRing.HOT + " behind the newest");
    assertNotSame(appended[2], second);
    assertFalse(first.holdsFrames());
    assertFalse(first.holdsParsed());
    assertSame(appended[3], ring.get(3), "still within the hot end");
    assertTrue(ring.get(3).holdsFrames());
    assertSame(appended[HistoryRing.HOT + 2], ring.get(HistoryRing.HOT + 2));
    for (EncodedEvent e : new EncodedEvent[] {first, second}) {
      EncodedEvent was = appended[(int) e.seq()];
      assertEquals(was.seq(), e.seq());
      assertEquals(Topic.PLAYER, e.topic());
      assertEquals(was.zone(), e.zone());
      assertEquals(was.cumulativeBytes(), e.cumulativeBytes());
      assertArrayEquals(was.binary(), e.binary());
      assertEquals(was.envelope(), e.envelope());
      // The socket forms made again: the same bytes as the original's.
      assertEquals(was.webSocketFrame(false), e.webSocketFrame(false));
      assertEquals(was.webSocketFrame(true), e.webSocketFrame(true));
      assertArrayEquals(was.json(), e.json());
    }
    assertEquals("kitchen", second.zone());
    assertEquals("", first.zone());
  }

  @Test
  void wrapsAroundItsIndexAndReusesItsSlabs() {
    int capacity = HistoryRing.HOT + 300;
    HistoryRing ring = new HistoryRing(capacity, 1 << 24);
    int last = 20 * capacity;
    int most = 0;
    for (int s = 1; s <= last; s++) {
      ring.append(sized(s));
      most = Math.max(most, ring.slabs());
    }
    assertEquals(last - capacity + 1, ring.oldest());
    assertNull(ring.get(last - capacity));
    long kept = 0;
    for (long s = ring.oldest(); s <= last; s++) {
      EncodedEvent e = ring.get(s);
      assertArrayEquals(sized(s).binary(), e.binary(), "seq " + s);
      assertEquals(Topic.MIXER, e.topic());
      kept += e.size();
    }
    assertEquals(kept, ring.bytes());
    // At most 200 bytes an event: the kept events fill a few slabs, one more is being filled and
    // one is the spare; the history turned over 20 times on those.
    long slabs = capacity * 200L / HistoryRing.SLAB + 2;
    assertTrue(most <= slabs, most + " slabs at once");
    assertTrue(ring.slabsMade() <= slabs + 1, ring.slabsMade() + " slabs made");
  }

  @Test
  void keepsAnEventLargerThanASlabAndTheSmallOnesAroundIt() {
    HistoryRing ring = new HistoryRing(4 * HistoryRing.HOT, 1 << 24);
    int big = HistoryRing.HOT + 1;
    for (int s = 1; s <= 3 * HistoryRing.HOT; s++) {
      ring.append(s == big ? event(s, HistoryRing.SLAB + 5000) : sized(s));
    }
    EncodedEvent e = ring.get(big);
    assertTrue(e.size() > HistoryRing.SLAB);
    assertArrayEquals(event(big, HistoryRing.SLAB + 5000).binary(), e.binary());
    assertArrayEquals(sized(big - 1).binary(), ring.get(big - 1).binary());
    assertArrayEquals(sized(big + 1).binary(), ring.get(big + 1).binary());
    for (long s = 1; s <= 3 * HistoryRing.HOT; s++) {
      assertEquals(s, ring.get(s).seq());
    }
  }

  @Test
  void trimsByBytesAndReadsTheKeptEventsBytesBack() {
    int sizeOfOne = sized(1000).size();
    long bound = 100L * sizeOfOne + 7;
    HistoryRing ring = new HistoryRing(100_000, bound);
    long sum = 0;
    java.util.ArrayDeque<Integer> sizes = new java.util.ArrayDeque<>();
    for (int s = 1; s <= 5000; s++) {
      EncodedEvent e = sized(s);
      ring.append(e);
      sizes.addLast(e.size());
      sum += e.size();
      while (sum > bound) {
        sum -= sizes.removeFirst();
      }
      assertEquals(sum, ring.bytes(), "seq " + s);
      assertEquals(s - sizes.size() + 1, ring.oldest(), "seq " + s);
    }
    assertNull(ring.get(ring.oldest() - 1));
    for (long s = ring.oldest(); s <= 5000; s++) {
      assertArrayEquals(sized(s).binary(), ring.get(s).binary(), "seq " + s);
    }
  }

  @Test
  void keepsARelaysPlaceholderWithoutATopic() {
    HistoryRing ring = new HistoryRing(4 * HistoryRing.HOT, 1 << 20);
    EncodedEvent placeholder = new EncodedEvent(1, null, Envelope.newBuilder().build());
    ring.append(placeholder);
    for (int s = 2; s <= HistoryRing.HOT + 2; s++) {
      ring.append(sized(s));
    }
    EncodedEvent e = ring.get(1);
    assertNotSame(placeholder, e);
    assertNull(e.topic());
    assertEquals(0, e.size());
    assertEquals(Envelope.getDefaultInstance(), e.envelope());
  }

  @Test
  void aReaderWhileTheRingWrapsGetsEachSeqsOwnBytesOrNull() throws Exception {
    int capacity = HistoryRing.HOT + 64;
    HistoryRing ring = new HistoryRing(capacity, 1 << 20);
    int last = 200 * capacity;
    java.util.concurrent.atomic.AtomicReference<Throwable> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread reader =
        new Thread(
            () -> {
              try {
                long reads = 0;
                while (!done.get() || reads < 1000) {
                  long s = ring.oldest() + (reads++ % 3); // the end being overwritten
                  EncodedEvent e = ring.get(s);
                  if (e != null) {
                    assertEquals(s, e.seq());
                    assertArrayEquals(sized(s).binary(), e.binary(), "seq " + s);
                  }
                }
              } catch (Throwable t) {
                failed.set(t);
              }
            });
    reader.start();
    for (int s = 1; s <= last; s++) {
      ring.append(sized(s));
    }
    done.set(true);
    reader.join();
    if (failed.get() != null) {
      throw new AssertionError("a read got another seq's bytes", failed.get());
    }
  }

  /** An event of 10 to 200 bytes whose size and bytes depend on its seq only. */
  private static EncodedEvent sized(long seq) {
    int padding = (int) ((seq * 7919) % 180);
    return new EncodedEvent(
        seq,
        Topic.MIXER,
        Envelope.newBuilder()
            .setSeq(seq)
            .setEpoch(Long.toString(seq, 36).repeat(1 + padding / 6))
            .build());
  }

  private static EncodedEvent zoned(long seq, int padding, String zone) {
    return new EncodedEvent(
        seq,
        Topic.PLAYER,
        Envelope.newBuilder().setSeq(seq).setEpoch("e".repeat(padding)).setZone(zone).build());
  }

  private static byte[] bytes(java.nio.ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void keepsTheNewestEventsUpToTheCountBound() {
    HistoryRing ring = new HistoryRing(4, 1 << 20);
    for (long s = 1; s <= 10; s++) {
      ring.append(event(s, 0));
    }
    assertEquals(7, ring.oldest());
    assertNull(ring.get(6));
    for (long s = 7; s <= 10; s++) {
      assertEquals(s, ring.get(s).seq());
    }
    assertNull(ring.get(11), "not published yet");
  }

  @Test
  void evictsByBytesButKeepsTheNewestEvent() {
    HistoryRing ring = new HistoryRing(100, 250);
    for (long s = 1; s <= 5; s++) {
      ring.append(event(s, 100)); // ~104 bytes each
    }
    assertEquals(4, ring.oldest());
    assertNotNull(ring.get(5));
    assertEquals(ring.get(4).size() + ring.get(5).size(), ring.bytes());
    HistoryRing tiny = new HistoryRing(100, 10);
    tiny.append(event(1, 100));
    assertNotNull(tiny.get(1), "one event larger than the bound is still kept");
  }

  @Test
  void refusesAGapInSeq() {
    HistoryRing ring = new HistoryRing(4, 1000);
    ring.append(event(1, 0));
    assertThrows(IllegalStateException.class, () -> ring.append(event(3, 0)));
  }
}
