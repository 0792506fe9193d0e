package io.tonearm.daemon.player;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the player's tasks one at a time. Tasks run on the {@code tonearm-player} thread, in the
 * order given; a light command (one that only sets a value and publishes, see {@link #runNowOr})
 * given while the player has nothing queued or running runs at once on the caller's thread instead,
 * so that its reply needs no hand-over to the player thread and back (two wake-ups, each a wait for
 * a core on a loaded machine). Either way every task holds the one owner lock while it runs, so the
 * player's state still has one owner at a time and each task sees everything the ones before it
 * did.
 *
 * <p>Thread-safe. A task never runs inside another one: a task that gives a task (on any thread)
 * queues it to run after itself, as on a single thread.
 */
final class PlayerThread {

  private final ScheduledExecutorService thread;
  private final ReentrantLock owner = new ReentrantLock();

  /** Tasks given to the thread and not yet finished (delayed tasks count once they are due). */
  private final AtomicInteger queued = new AtomicInteger();

  private final AtomicInteger ranNow = new AtomicInteger();

  /**
   * @param thread the single thread the tasks run on; shut down by the caller
   */
  PlayerThread(ScheduledExecutorService thread) {
    this.thread = thread;
  }

  /**
   * Runs {@code task} on the player thread after every task given before it.
   *
   * @throws RejectedExecutionException when the thread is shut down
   */
  void execute(Runnable task) {
    queued.incrementAndGet();
    try {
      thread.execute(() -> runQueued(task));
    } catch (RuntimeException e) {
      queued.decrementAndGet();
      throw e;
    }
  }

  /**
   * Runs {@code task} now on this thread when no task is queued or running (and this thread is not
   * inside a task), else as {@link #execute} does. Only for tasks that never block: they may run on
   * an event loop.
   */
  void runNowOr(Runnable task) {
    if (queued.get() == 0 && !owner.isHeldByCurrentThread() && owner.tryLock()) {
      boolean ran = false;
      try {
        // Checked again under the lock: a task queued meanwhile keeps its place before this one.
        if (queued.get() == 0) {
          ranNow.incrementAndGet();
          ran = true;
          task.run();
        }
      } finally {
        owner.unlock();
      }
      if (ran) {
        return;
      }
    }
    execute(task);
  }

  /** Runs {@code task} on the player thread once {@code delay} has passed. */
  ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return thread.schedule(() -> runDue(task), delay, unit);
  }

  /** Runs {@code task} on the player thread every {@code period}, the first after one period. */
  ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long period, TimeUnit unit) {
    return thread.scheduleAtFixedRate(() -> runDue(task), period, period, unit);
  }

  /** True when no task is queued or running; for tests. */
  boolean idle() {
    return queued.get() == 0 && !owner.isLocked();
  }

  /** How many tasks ran at once on their caller's thread; for tests and figures. */
  int ranOnCaller() {
    return ranNow.get();
  }

  private void runQueued(Runnable task) {
    owner.lock();
    try {
      task.run();
    } finally {
      owner.unlock();
      queued.decrementAndGet();
    }
  }

  private void runDue(Runnable task) {
    queued.incrementAndGet();
    runQueued(task);
  }
}
