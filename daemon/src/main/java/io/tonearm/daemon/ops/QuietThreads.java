package io.tonearm.daemon.ops;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Executors of one daemon thread that is made for a task and ends after {@value #IDLE_SECONDS} s
 * without one, for work that comes now and then (a settings change, a state file to write, a
 * running job's progress). Tasks run one at a time in the order given, as on {@link
 * java.util.concurrent.Executors#newSingleThreadExecutor}; only the thread is not kept while there
 * is nothing to do: each Java thread holds about 90 KB of touched stack (the JVM maps its shadow
 * pages at start), which an idle daemon paid for each of these all its life (issue 13).
 *
 * <p>Not for work that keeps state in its thread (a {@code ThreadLocal}, such as the library's
 * per-thread read connection): a new thread would start that state again.
 */
public final class QuietThreads {

  /** How long a thread waits for its next task before it ends. */
  public static final long IDLE_SECONDS = 10;

  private QuietThreads() {}

  /** A single-thread executor whose thread is named {@code name}. */
  public static ExecutorService single(String name) {
    ThreadPoolExecutor e =
        new ThreadPoolExecutor(
            1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named(name));
    e.allowCoreThreadTimeOut(true);
    return e;
  }

  /**
   * A single-thread scheduled executor whose thread is named {@code name}; the thread stays while a
   * task is scheduled (a cancelled one is removed at once).
   */
  public static ScheduledThreadPoolExecutor scheduled(String name) {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, named(name));
    e.setRemoveOnCancelPolicy(true);
    e.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
    e.allowCoreThreadTimeOut(true);
    return e;
  }

  private static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
