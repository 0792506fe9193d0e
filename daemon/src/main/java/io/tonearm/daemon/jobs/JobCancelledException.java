package io.tonearm.daemon.jobs;

/** Thrown by {@link JobContext#checkCancelled()} to unwind a job body after a cancel request. */
public final class JobCancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobCancelledException() {
    super("job cancelled", null, false, false);
  }
}
