package io.tonearm.daemon.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WakeHoldTest {

  private final WakeHold hold = new WakeHold();
  private final List<String> log = new ArrayList<>();

  @Test
  void wakeOutsideATaskRunsAtOnce() {
    hold.wake(() -> log.add("wake"));
    assertEquals(List.of("wake"), log);
  }

  @Test
  void withoutAReplyWakesRunAfterTheTaskOnceEachInOrder() {
    Runnable a = () -> log.add("a");
    Runnable b = () -> log.add("b");
    hold.holding(
            () -> {
              hold.wake(a);
              hold.wake(b);
              hold.wake(a);
              log.add("task done");
            })
        .run();
    assertEquals(List.of("task done", "a", "b"), log);
  }

  @Test
  void wakesRunWhenTheTaskThrows() {
    Runnable task =
        hold.holding(
            () -> {
              hold.wake(() -> log.add("wake"));
              throw new IllegalStateException("refused");
            });
    assertThrows(IllegalStateException.class, task::run);
    assertEquals(List.of("wake"), log);
    hold.wake(() -> log.add("after")); // nothing is held any more
    assertEquals(List.of("wake", "after"), log);
  }

  @Test
  void aNestedTaskAddsToTheOuterHold() {
    hold.holding(
            () -> {
              hold.holding(() -> hold.wake(() -> log.add("wake"))).run();
              log.add("inner done");
            })
        .run();
    assertEquals(List.of("inner done", "wake"), log);
  }

  @Test
  void aTaskWrappedWhileAReplyIsOpenHoldsItsWakesUntilTheReplyIsReleased() throws Exception {
    WakeHold.Reply reply = hold.open();
    Runnable task = hold.holding(() -> hold.wake(() -> log.add("wake")));
    reply.stopOpening();
    Thread owner = new Thread(task); // the command's owner runs it on its own thread
    owner.start();
    owner.join();
    assertEquals(List.of(), log);
    log.add("reply written");
    reply.release();
    reply.release(); // once only
    assertEquals(List.of("reply written", "wake"), log);
  }

  @Test
  void afterTheReplyIsReleasedItsTaskWakesAtOnce() {
    WakeHold.Reply reply = hold.open();
    Runnable task =
        hold.holding(
            () -> {
              hold.wake(() -> log.add("held"));
              reply.release();
              hold.wake(() -> log.add("late"));
              log.add("task done");
            });
    reply.stopOpening();
    task.run();
    assertEquals(List.of("held", "late", "task done"), log);
  }

  @Test
  void aTaskWrappedAfterTheOpeningStoppedIsNotHeldForTheReply() {
    WakeHold.Reply reply = hold.open();
    reply.stopOpening();
    hold.holding(() -> hold.wake(() -> log.add("wake"))).run();
    assertEquals(List.of("wake"), log);
    reply.release();
    assertEquals(List.of("wake"), log);
  }

  @Test
  void aWakeAskedForOnTheThreadWithTheReplyOpenIsHeldForIt() {
    WakeHold.Reply reply = hold.open();
    hold.wake(() -> log.add("wake"));
    reply.stopOpening();
    hold.wake(() -> log.add("not held"));
    assertEquals(List.of("not held"), log);
    reply.release();
    assertEquals(List.of("not held", "wake"), log);
  }

  @Test
  void aReplyHoldsTheWakeUpsOfEveryLoopUntilItIsWritten() {
    WakeHold.Reply reply = hold.open();
    Runnable task =
        hold.holding(
            () -> {
              hold.wake(() -> log.add("reply's loop"));
              hold.wake(() -> log.add("other loop"));
            });
    reply.stopOpening();
    task.run();
    assertEquals(List.of(), log, "a loop was woken before the reply was written");
    log.add("reply written");
    reply.release();
    assertEquals(List.of("reply written", "reply's loop", "other loop"), log);
  }

  @Test
  void aTaskWithoutAReplyHoldsEveryPlace() {
    hold.holding(
            () -> {
              hold.wake(() -> log.add("a"));
              hold.wake(() -> log.add("b"));
              log.add("task done");
            })
        .run();
    assertEquals(List.of("task done", "a", "b"), log);
  }
}
