package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlayerThreadTest {

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-player"));
  private final PlayerThread thread = new PlayerThread(executor);
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private void drain() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    thread.execute(done::countDown);
    assertTrue(done.await(5, TimeUnit.SECONDS));
  }

  @Test
  void aLightTaskGivenWhileIdleRunsAtOnceOnTheCallersThread() {
    Thread caller = Thread.currentThread();
    thread.runNowOr(() -> log.add(Thread.currentThread() == caller ? "caller" : "player"));
    assertEquals(List.of("caller"), log);
    assertEquals(1, thread.ranOnCaller());
  }

  @Test
  void aLightTaskGivenWhileATaskIsQueuedRunsAfterItOnThePlayerThread() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    thread.execute(
        () -> {
          started.countDown();
          try {
            busy.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          log.add("first");
        });
    thread.execute(() -> log.add("second"));
    started.await();
    thread.runNowOr(() -> log.add("light on " + Thread.currentThread().getName()));
    assertEquals(List.of(), log, "the light task overtook the queued ones");
    busy.countDown();
    drain();
    assertEquals(List.of("first", "second", "light on test-player"), log);
    assertEquals(0, thread.ranOnCaller());
  }

  @Test
  void aTaskGivenFromInsideARunningTaskRunsAfterItNotInsideIt() throws Exception {
    thread.runNowOr(
        () -> {
          thread.runNowOr(() -> log.add("inner"));
          log.add("outer done");
        });
    drain();
    assertEquals(List.of("outer done", "inner"), log);
    assertEquals(1, thread.ranOnCaller());
  }

  @Test
  void aDueDelayedTaskIsNotOvertakenWhileItRuns() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    thread.schedule(
        () -> {
          running.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          log.add("delayed");
        },
        1,
        TimeUnit.MILLISECONDS);
    running.await();
    thread.runNowOr(() -> log.add("light"));
    assertFalse(log.contains("light"), "the light task ran while the delayed one held the player");
    release.countDown();
    drain();
    assertEquals(List.of("delayed", "light"), log);
  }
}
