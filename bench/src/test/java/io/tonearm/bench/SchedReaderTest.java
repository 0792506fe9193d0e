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

  /** A thread started after the first read is counted by the next one. */
  @Test
  void countsAThreadStartedLater() throws Exception {
    long pid = ProcessHandle.current().pid();
    try (SchedReader r = new SchedReader(pid)) {
      long before = r.read()[0];
      java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
      Thread t =
          new Thread(
              () -> {
                long x = 0;
                long end = System.nanoTime() + 50_000_000L;
                while (System.nanoTime() < end) {
                  x += System.nanoTime() & 1;
                }
                try {
                  stop.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      Thread.sleep(100);
      long[] fresh = ProcStat.schedNanos(pid);
      long after = r.read()[0];
      stop.countDown();
      t.join();
      assertTrue(after >= fresh[0] && after - before >= 40_000_000L, before + " " + after);
    }
  }
}
