package io.tonearm.daemon.jobs;

import io.tonearm.proto.v1.Job;
import io.tonearm.proto.v1.JobState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one job: written by its body (any thread), read by the framework's ticker.
 * Progress fields are volatile or atomic; the rest changes under the object's lock.
 */
final class RunningJob implements JobContext {
  private static final int MAX_RECENT_ERRORS = 20;
  private static final int RATE_WINDOW_SAMPLES = 20;

  final String id;
  final String kind;
  final String title;
  final String origin;
  final JobBody body;
  final long createdMs;

  private volatile long total;
  private final AtomicLong done = new AtomicLong();
  private volatile String currentItem = "";
  private final AtomicLong errorCount = new AtomicLong();
  private final Deque<String> recentErrors = new ArrayDeque<>();
  private volatile boolean cancelRequested;

  private JobState state = JobState.JOB_STATE_QUEUED;
  private String failure = "";
  private long startedMs;
  private long finishedMs;

  /** (nanoTime, done) samples taken by the ticker, for the rate over the last ~5 s. */
  private final Deque<long[]> samples = new ArrayDeque<>();

  /** Done count at the last published progress event, to skip ticks without change. */
  long publishedDone = -1;

  long publishedErrors = -1;

  RunningJob(String id, String kind, String title, String origin, JobBody body, long createdMs) {
    this.id = id;
    this.kind = kind;
    this.title = title;
    this.origin = origin;
    this.body = body;
    this.createdMs = createdMs;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void total(long total) {
    this.total = Math.max(0, total);
  }

  @Override
  public void progress(long done, String currentItem) {
    this.done.set(Math.max(0, done));
    this.currentItem = currentItem;
  }

  @Override
  public void advance(String currentItem) {
    done.incrementAndGet();
    this.currentItem = currentItem;
  }

  @Override
  public void error(String item, String message) {
    errorCount.incrementAndGet();
    synchronized (this) {
      if (recentErrors.size() == MAX_RECENT_ERRORS) {
        recentErrors.removeFirst();
      }
      recentErrors.addLast(item.isEmpty() ? message : item + ": " + message);
    }
  }

  @Override
  public boolean cancelled() {
    return cancelRequested || Thread.currentThread().isInterrupted();
  }

  void requestCancel() {
    cancelRequested = true;
  }

  long done() {
    return done.get();
  }

  long errors() {
    return errorCount.get();
  }

  synchronized JobState state() {
    return state;
  }

  synchronized boolean finished() {
    return state == JobState.JOB_STATE_COMPLETED
        || state == JobState.JOB_STATE_FAILED
        || state == JobState.JOB_STATE_CANCELLED;
  }

  synchronized void started(long nowMs) {
    state = JobState.JOB_STATE_RUNNING;
    startedMs = nowMs;
  }

  synchronized void finished(JobState end, String failure, long nowMs) {
    state = end;
    this.failure = failure == null ? "" : failure;
    finishedMs = nowMs;
  }

  /** Takes a rate sample; called by the ticker only. */
  synchronized void sample(long nowNanos) {
    samples.addLast(new long[] {nowNanos, done.get()});
    if (samples.size() > RATE_WINDOW_SAMPLES) {
      samples.removeFirst();
    }
  }

  synchronized Job toProto() {
    long d = done.get();
    long t = total;
    double rate = 0;
    if (state == JobState.JOB_STATE_RUNNING && samples.size() >= 2) {
      long[] first = samples.getFirst();
      long[] last = samples.getLast();
      double secs = (last[0] - first[0]) / 1e9;
      rate = secs > 0 ? (last[1] - first[1]) / secs : 0;
    } else if (finishedMs > startedMs && startedMs > 0) {
      rate = d * 1000.0 / (finishedMs - startedMs);
    }
    long eta =
        rate > 0 && t > d && state == JobState.JOB_STATE_RUNNING
            ? (long) ((t - d) * 1000 / rate)
            : 0;
    return Job.newBuilder()
        .setId(id)
        .setKind(kind)
        .setTitle(title)
        .setState(state)
        .setDone(d)
        .setTotal(t)
        .setRatePerS(rate)
        .setEtaMs(eta)
        .setCurrentItem(currentItem == null ? "" : currentItem)
        .setErrorCount(errorCount.get())
        .addAllRecentErrors(recentErrors)
        .setFailure(failure)
        .setCreatedMs(createdMs)
        .setStartedMs(startedMs)
        .setFinishedMs(finishedMs)
        .setOrigin(origin)
        .build();
  }
}
