package io.tonearm.daemon.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QuietLoopsTest {

  @Test
  void aLoopKeptAsleepHasItsNextTimerAnHourOut() {
    FastThreadLocal.removeAll(); // the embedded loop runs on this thread
    EmbeddedChannel ch = new EmbeddedChannel();
    assertEquals(-1, ch.runScheduledPendingTasks(), "no timer: Netty wakes the loop every second");
    QuietLoops.keepAsleep(ch.eventLoop());
    QuietLoops.keepAsleep(ch.eventLoop());
    long next = ch.runScheduledPendingTasks();
    assertTrue(next > TimeUnit.MINUTES.toNanos(59), "next timer in " + next + " ns");
    ch.advanceTimeBy(1, TimeUnit.HOURS);
    assertTrue(ch.runScheduledPendingTasks() > TimeUnit.MINUTES.toNanos(59), "and again after it");
    ch.finishAndReleaseAll();
    FastThreadLocal.removeAll();
  }
}
