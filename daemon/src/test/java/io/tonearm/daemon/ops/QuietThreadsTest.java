package io.tonearm.daemon.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QuietThreadsTest {

  @Test
  void tasksRunOneAtATimeInTheOrderGivenOnANamedDaemonThread() throws Exception {
    ExecutorService e = QuietThreads.single("tonearm-test");
    List<Integer> order = new ArrayList<>();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      int n = i;
      e.execute(
          () -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            order.add(n); // only ever one thread here
            if (n == 0) {
              names.add(Thread.currentThread().getName());
              names.add(String.valueOf(Thread.currentThread().isDaemon()));
            }
            inside.decrementAndGet();
          });
    }
    e.shutdown();
    assertTrue(e.awaitTermination(10, TimeUnit.SECONDS));
    assertEquals(1, most.get());
    for (int i = 0; i < 1_000; i++) {
      assertEquals(i, order.get(i));
    }
    assertEquals(List.of("tonearm-test", "true"), names);
  }

  @Test
  void theThreadIsNotKeptWithoutWork() {
    ThreadPoolExecutor single = (ThreadPoolExecutor) QuietThreads.single("tonearm-test");
    assertEquals(0, single.getPoolSize(), "no thread before the first task");
    assertTrue(single.allowsCoreThreadTimeOut());
    assertEquals(QuietThreads.IDLE_SECONDS, single.getKeepAliveTime(TimeUnit.SECONDS));
    assertEquals(1, single.getMaximumPoolSize());
    single.shutdown();

    ScheduledThreadPoolExecutor scheduled = QuietThreads.scheduled("tonearm-test");
    assertTrue(scheduled.allowsCoreThreadTimeOut());
    assertEquals(QuietThreads.IDLE_SECONDS, scheduled.getKeepAliveTime(TimeUnit.SECONDS));
    ScheduledFuture<?> tick = scheduled.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.HOURS);
    assertEquals(1, scheduled.getQueue().size());
    tick.cancel(false);
    assertTrue(scheduled.getQueue().isEmpty(), "a cancelled tick does not hold the thread");
    scheduled.shutdown();
  }
}
