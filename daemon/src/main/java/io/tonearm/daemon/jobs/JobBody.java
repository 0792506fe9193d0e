package io.tonearm.daemon.jobs;

/**
 * The work of one job. Runs on a job worker thread, where blocking is fine. It reports through its
 * {@link JobContext} and should call {@link JobContext#checkCancelled()} between items.
 *
 * <p>Returning normally completes the job (per-item errors reported with {@link JobContext#error}
 * do not fail it); throwing {@link JobCancelledException} marks it cancelled; any other exception
 * fails it with the exception's message.
 */
@FunctionalInterface
public interface JobBody {
  void run(JobContext context) throws Exception;
}
