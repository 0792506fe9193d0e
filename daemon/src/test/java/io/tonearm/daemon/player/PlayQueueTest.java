package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlayQueueTest {

  private static List<QueueEntry> entries(int n) {
    List<QueueEntry> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(new QueueEntry(i, Path.of("/m/" + i + ".wav"), i + ".wav", null));
    }
    return out;
  }

  @Test
  void shuffleIsAPermutationStartingWithTheCurrentEntry() {
    PlayQueue q = new PlayQueue(new Random(7));
    List<QueueEntry> e = entries(50);
    q.insert(0, e, null);
    q.setShuffle(true, e.get(20));
    List<QueueEntry> order = q.order();
    assertSame(e.get(20), order.get(0));
    assertEquals(new HashSet<>(e), new HashSet<>(order));
    assertEquals(50, order.size());
    assertNotEquals(e, order);
    assertEquals(e, q.items()); // queue order itself is untouched
    q.setShuffle(false, e.get(20));
    assertEquals(e, q.order());
  }

  @Test
  void entriesAddedWhileShuffledAreStillToCome() {
    PlayQueue q = new PlayQueue(new Random(3));
    List<QueueEntry> e = entries(10);
    q.insert(0, e, null);
    q.setShuffle(true, e.get(0));
    List<QueueEntry> more = entries(13).subList(10, 13);
    q.insert(10, more, e.get(0));
    for (QueueEntry m : more) {
      assertTrue(q.order().indexOf(m) > 0);
    }
    assertEquals(13, q.order().size());
  }

  @Test
  void afterAndBeforeWrapOnlyWhenAsked() {
    PlayQueue q = new PlayQueue(new Random(1));
    List<QueueEntry> e = entries(3);
    q.insert(0, e, null);
    assertSame(e.get(1), q.after(e.get(0), false).orElseThrow());
    assertTrue(q.after(e.get(2), false).isEmpty());
    assertSame(e.get(0), q.after(e.get(2), true).orElseThrow());
    assertTrue(q.before(e.get(0), false).isEmpty());
    assertSame(e.get(2), q.before(e.get(0), true).orElseThrow());
  }

  @Test
  void moveAndRemoveKeepTheRest() {
    PlayQueue q = new PlayQueue(new Random(1));
    List<QueueEntry> e = entries(4);
    q.insert(0, e, null);
    q.move(e.get(0), 3);
    assertEquals(List.of(e.get(1), e.get(2), e.get(3), e.get(0)), q.items());
    q.removeAll(List.of(e.get(2), e.get(1)));
    assertEquals(List.of(e.get(3), e.get(0)), q.items());
  }
}
