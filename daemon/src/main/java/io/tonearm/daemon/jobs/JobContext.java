package io.tonearm.daemon.jobs;

/**
 * What a running job body sees: a progress reporter and a cancellation check. Calls are cheap (a
 * few volatile writes); events are published by the framework at most four times a second per job,
 * so a body may report every item. Thread-safe: a body may report from its own helper threads.
 */
public interface JobContext {

  /** The job's id. */
  String id();

  /** Sets the number of items in all; 0 while unknown. */
  void total(long total);

  /** Sets the number of items done and the item being worked on (may be empty, never null). */
  void progress(long done, String currentItem);

  /** Adds one to the number of items done and names the item being worked on. */
  void advance(String currentItem);

  /** Records a per-item error; the job goes on. */
  void error(String item, String message);

  /** True once a cancel was requested (or the framework is closing). */
  boolean cancelled();

  /**
   * Throws {@link JobCancelledException} when a cancel was requested.
   *
   * @throws JobCancelledException to unwind the body; the framework marks the job cancelled
   */
  default void checkCancelled() {
    if (cancelled()) {
      throw new JobCancelledException();
    }
  }
}
