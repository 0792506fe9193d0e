package io.tonearm.daemon.transport;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.TimeUnit;

/**
 * Keeps idle event loops asleep. A Netty event loop with no timer pending does not block
 * indefinitely: it wakes once a second ({@code SingleThreadEventExecutor.deadlineNanos()} is then
 * now plus its one-second purge interval) and finds nothing to do. Five loops (accept and four I/O)
 * woke five times a second, 0.04% of a core while playing, about a tenth of the whole process. A
 * loop that holds one timer an hour out sleeps until real work (a socket, a task, an earlier timer)
 * wakes it.
 */
final class QuietLoops {

  private static final FastThreadLocal<Boolean> HELD = new FastThreadLocal<>();
  private static final Runnable NOTHING = () -> {};

  private QuietLoops() {}

  /** On {@code loop}'s own thread: gives the loop its hourly timer, once. */
  static void keepAsleep(EventLoop loop) {
    if (HELD.get() == null) {
      HELD.set(Boolean.TRUE);
      loop.scheduleAtFixedRate(NOTHING, 1, 1, TimeUnit.HOURS);
    }
  }
}
