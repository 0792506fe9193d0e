package io.tonearm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResumeCheckTest {

  private static ResumeCheck feed(long first, long last, long count, long... seqs) {
    ResumeCheck c = new ResumeCheck(first, last, count);
    for (int i = 0; i < seqs.length; i++) {
      assertEquals(seqs[i] == last, c.event(seqs[i]));
    }
    return c;
  }

  @Test
  void everyStateTopicMeansNoGap() {
    assertNull(feed(10, 13, -1, 10, 11, 12, 13).error());
    assertEquals("expected seq 12, got 13", feed(10, 13, -1, 10, 11, 13).error());
    assertEquals("expected seq 12, got 11", feed(10, 13, -1, 10, 11, 11, 12, 13).error());
  }

  @Test
  void oneTopicAllowsOtherTopicsSeqsBetweenButCountsItsOwn() {
    // seq 14 went to another topic (a start-up scan's job event): not this stream's
    assertNull(feed(13, 16, 3, 13, 15, 16).error());
    assertEquals("3 events expected up to seq 16, got 2", feed(13, 16, 3, 13, 16).error());
    assertEquals("3 events expected up to seq 16, got 4", feed(13, 16, 3, 13, 14, 15, 16).error());
    assertEquals("expected seq at least 16, got 15", feed(13, 16, 3, 13, 15, 15, 16).error());
    assertEquals("expected seq at least 13, got 12", feed(13, 16, 3, 12, 13, 15, 16).error());
  }

  @Test
  void theLastSeqEndsTheReplay() {
    ResumeCheck c = new ResumeCheck(1, 2, -1);
    assertFalse(c.event(1));
    assertTrue(c.event(2));
  }
}
