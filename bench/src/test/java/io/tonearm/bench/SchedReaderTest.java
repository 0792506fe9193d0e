package io.tonearm.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class SchedReaderTest {

  /** The kept-open files give the same sums as a fresh read: each lies between its neighbours. */
  @Test
  void readsTheSameSumsAsAFreshRead() throws Exception {
    long pid = ProcessHandle.current().pid();
    try (SchedReader r = new SchedReader(pid)) {
      for (int i = 0; i < 3; i++) {
        long[] a = r.read();
        long[] b = ProcStat.schedNanos(pid);
        long[] c = r.read();
        assertTrue(
            a[0] > 0 && a[0] <= b[0] && b[0] <= c[0], "cpu " + a[0] + " " + b[0] + " " + c[0]);
        assertTrue(a[1] <= b[1] && b[1] <= c[1], "wait " + a[1] + " " + b[1] + " " + c[1]);
      }
    }
  }

  /**
   * A thread started after the first read is counted by the next one. The thread spins until it has
   * run 50 ms on a CPU by its own clock, however long a loaded machine makes that take, and the
   * read comes after it says so: no wall-clock assumption.
   */
  @Test
  void countsAThreadStartedLater() throws Exception {
    long pid = ProcessHandle.current().pid();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    try (SchedReader r = new SchedReader(pid)) {
      long before = r.read()[0];
      java.util.concurrent.CountDownLatch spun = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
      Thread t =
          new Thread(
              () -> {
                long x = 0;
                while (mx.getCurrentThreadCpuTime() < 50_000_000L) {
                  x += System.nanoTime() & 1;
                }
                spun.countDown();
                try {
                  stop.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      spun.await();
      long[] fresh = ProcStat.schedNanos(pid);
      long after = r.read()[0];
      stop.countDown();
      t.join();
      assertTrue(after >= fresh[0] && after - before >= 50_000_000L, before + " " + after);
    }
  }
}
