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

  /** Time constant of the smoothed rate, in seconds. */
  static final double RATE_TIME_CONSTANT_S = 10;

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

  /**
   * The rate in items per second, smoothed: an exponentially weighted moving average of the rate
   * between ticks with a time constant of {@value #RATE_TIME_CONSTANT_S} s (the weight of a tick dt
   * seconds long is 1 - exp(-dt / tau)), seeded with the average since the start at the first tick
   * with progress. One slow item moves the ETA a little; a lasting change moves it within tens of
   * seconds. 0 until the first progress.
   */
  private double rate;

  private long startNanos;
  private long lastNanos;
  private long lastDone;

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

  /** Takes a rate sample at {@code nowNanos}; called by the ticker only (and once at start). */
  synchronized void sample(long nowNanos) {
    long d = done.get();
    if (startNanos == 0) {
      startNanos = nowNanos;
      lastNanos = nowNanos;
      lastDone = d;
      return;
    }
    double dt = (nowNanos - lastNanos) / 1e9;
    if (dt <= 0) {
      return;
    }
    if (rate == 0) {
      if (d > 0) {
        rate = d / ((nowNanos - startNanos) / 1e9); // the average so far seeds the average
      }
    } else {
      double now = (d - lastDone) / dt;
      rate += (1 - Math.exp(-dt / RATE_TIME_CONSTANT_S)) * (now - rate);
    }
    lastNanos = nowNanos;
    lastDone = d;
  }

  synchronized Job toProto() {
    long d = done.get();
    long t = total;
    double rate = 0;
    if (state == JobState.JOB_STATE_RUNNING) {
      rate = this.rate;
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
