package io.tonearm.daemon.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
  void dropsTheSocketFormsOfEventsPastTheHotEnd() {
    HistoryRing ring = new HistoryRing(4 * HistoryRing.HOT, 1 << 24);
    for (long s = 1; s <= HistoryRing.HOT + 2; s++) {
      EncodedEvent e = event(s, 40);
      ring.append(e);
      e.webSocketFrame(false); // as the fan-out makes them
      e.webSocketFrame(true);
    }
    EncodedEvent first = ring.get(1);
    EncodedEvent second = ring.get(2);
    EncodedEvent third = ring.get(3);
    assertFalse(first.holdsFrames(), HistoryRing.HOT + " behind the newest");
    assertFalse(second.holdsFrames());
    assertTrue(third.holdsFrames(), "still within the hot end");
    assertTrue(ring.get(HistoryRing.HOT + 2).holdsFrames());
    // A replay makes them again: the same bytes as a fresh event's.
    EncodedEvent fresh = event(1, 40);
    assertEquals(fresh.webSocketFrame(false), first.webSocketFrame(false));
    assertEquals(fresh.webSocketFrame(true), first.webSocketFrame(true));
    assertArrayEquals(fresh.json(), first.json());
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
