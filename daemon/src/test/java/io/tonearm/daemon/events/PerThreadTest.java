package io.tonearm.daemon.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PerThreadTest {

  @Test
  void everyThreadKeepsItsOwnValueAlsoWhenThreadsShareASlot() throws Exception {
    AtomicInteger made = new AtomicInteger();
    PerThread<Object> values = new PerThread<>(() -> new int[] {made.incrementAndGet()});
    int threads = 40; // more threads than slots: several share each one, asking in turns
    CyclicBarrier step = new CyclicBarrier(threads);
    Map<Thread, Object> first = new IdentityHashMap<>();
    List<Thread> all = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  Object mine = values.get();
                  synchronized (first) {
                    first.put(Thread.currentThread(), mine);
                  }
                  for (int round = 0; round < 200; round++) {
                    step.await();
                    assertSame(mine, values.get());
                  }
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                  step.reset();
                }
              });
      all.add(t);
      t.start();
    }
    for (Thread t : all) {
      t.join();
    }
    assertEquals(List.of(), failures);
    assertEquals(threads, made.get(), "one value per thread, made once");
    assertEquals(threads, new IdentityHashMap<>(first).values().stream().distinct().count());
  }
}
