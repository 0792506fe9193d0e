package io.tonearm.daemon.jobs;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Job;
import io.tonearm.proto.v1.JobChanged;
import io.tonearm.proto.v1.JobList;
import io.tonearm.proto.v1.JobReply;
import io.tonearm.proto.v1.JobState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs long jobs on a bounded pool and publishes their life on the {@code jobs} topic: created,
 * started, progress (at most {@value #TICKS_PER_SECOND} per second per job), then completed, failed
 * or cancelled.
 *
 * <p>Thread-safe. Events are published under one lock, so they keep their order. Lifecycle: {@link
 * #start()} once, {@link #close()} cancels running jobs and waits briefly for them.
 */
public final class Jobs implements AutoCloseable {
  /** Progress events per second per job, at most. */
  public static final int TICKS_PER_SECOND = 4;

  /** Jobs waiting for a worker, at most; more submissions are refused. */
  public static final int MAX_QUEUED = 256;

  /** Finished jobs kept for listing. */
  public static final int MAX_FINISHED = 50;

  private static final Logger log = LoggerFactory.getLogger(Jobs.class);

  private final StateLane lane;
  private final ExecutorService workers;
  private final ScheduledExecutorService ticker;
  private final AtomicLong nextId = new AtomicLong(1);
  private final Object lock = new Object();

  /** Every job not yet evicted, in creation order; guarded by {@link #lock}. */
  private final Map<String, RunningJob> jobs = new LinkedHashMap<>();

  private final Map<String, Future<?>> futures = new java.util.concurrent.ConcurrentHashMap<>();

  /** Running jobs, and the ticker's schedule while there are any; guarded by {@link #lock}. */
  private int running;

  private boolean started;
  private java.util.concurrent.ScheduledFuture<?> ticking;

  /**
   * @param lane where job events go
   * @param workerThreads jobs that run at once (at least 1)
   */
  public Jobs(StateLane lane, int workerThreads) {
    this.lane = lane;
    this.workers =
        Executors.newFixedThreadPool(Math.max(1, workerThreads), daemonThreads("tonearm-job-"));
    // its thread ends when no job has run for a while
    this.ticker = io.tonearm.daemon.ops.QuietThreads.scheduled("tonearm-job-ticker");
  }

  /**
   * Lets the progress ticker run. It ticks only while a job runs: an idle daemon should not wake up
   * four times a second to find nothing to report.
   */
  public void start() {
    synchronized (lock) {
      started = true;
      updateTicker();
    }
  }

  /** Schedules or cancels the ticker to match {@link #running}; caller holds {@link #lock}. */
  private void updateTicker() {
    if (started && running > 0 && ticking == null) {
      long period = 1000 / TICKS_PER_SECOND;
      ticking = ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    } else if (running == 0 && ticking != null) {
      ticking.cancel(false);
      ticking = null;
    }
  }

  /** A job just submitted and the seq of its {@code created} event. */
  public record Submitted(String jobId, long seq, Job job) {}

  /**
   * Queues a job. Never blocks.
   *
   * @param kind e.g. {@code "library.scan"}
   * @param title human-readable description
   * @param origin who asked, e.g. {@code "http:127.0.0.1:5000"}; empty for the daemon itself
   * @throws IllegalStateException when {@value #MAX_QUEUED} jobs are already waiting
   */
  public Submitted submit(String kind, String title, String origin, JobBody body) {
    synchronized (lock) {
      long queued =
          jobs.values().stream().filter(j -> j.state() == JobState.JOB_STATE_QUEUED).count();
      if (queued >= MAX_QUEUED) {
        throw new IllegalStateException("too many queued jobs (" + MAX_QUEUED + ")");
      }
      RunningJob job =
          new RunningJob(
              "j" + nextId.getAndIncrement(),
              kind,
              title,
              origin,
              body,
              System.currentTimeMillis());
      jobs.put(job.id, job);
      long seq = publish(job, JobChanged.Builder::setCreated);
      futures.put(job.id, workers.submit(() -> run(job)));
      return new Submitted(job.id, seq, job.toProto());
    }
  }

  /** Job ids as the daemon makes them: {@code j} and a number. */
  private static final Pattern JOB_ID = Pattern.compile("j[0-9]{1,18}");

  /**
   * Every listed job, oldest first (queued, running and the last {@value #MAX_FINISHED} finished).
   * Completes at once, on the calling thread.
   */
  public CompletionStage<JobList> list() {
    synchronized (lock) {
      JobList.Builder out = JobList.newBuilder();
      jobs.values().forEach(j -> out.addJobs(j.toProto()));
      return CompletableFuture.completedFuture(out.build());
    }
  }

  /**
   * The job with this id (reply seq 0: a query). Completes at once, on the calling thread; fails
   * with {@link DomainException} not found for an id that is malformed or no longer listed.
   */
  public CompletionStage<JobReply> get(String id) {
    try {
      return CompletableFuture.completedFuture(
          JobReply.newBuilder().setJob(listed(checkId(id))).build());
    } catch (DomainException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Asks a job to stop. A queued job is cancelled at once (the reply carries its cancelled event's
   * seq); a running job is cancelled when its body next checks (seq 0, its cancelled event
   * follows). Completes at once, on the calling thread; fails with {@link DomainException} not
   * found for an unknown id, conflict for a job already finished.
   */
  public CompletionStage<JobReply> cancel(String id) {
    try {
      synchronized (lock) {
        Job before = listed(checkId(id));
        RunningJob j = jobs.get(id);
        if (j.finished()) {
          throw DomainException.conflict("job " + id + " already " + before.getState());
        }
        j.requestCancel();
        long seq = 0;
        if (j.state() == JobState.JOB_STATE_QUEUED) {
          Future<?> f = futures.remove(id);
          if (f != null) {
            f.cancel(false);
          }
          j.finished(JobState.JOB_STATE_CANCELLED, "", System.currentTimeMillis());
          seq = publish(j, JobChanged.Builder::setCancelled);
        }
        return CompletableFuture.completedFuture(
            JobReply.newBuilder().setSeq(seq).setJob(j.toProto()).build());
      }
    } catch (DomainException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The job with this id as it is now, if it is still listed; for in-process callers. */
  public Optional<Job> find(String id) {
    synchronized (lock) {
      RunningJob j = jobs.get(id);
      return j == null ? Optional.empty() : Optional.of(j.toProto());
    }
  }

  private Job listed(String id) {
    return find(id).orElseThrow(() -> DomainException.notFound("job", id));
  }

  private static String checkId(String id) {
    if (!JOB_ID.matcher(id).matches()) {
      throw DomainException.notFound("job", id.length() > 40 ? id.substring(0, 40) : id);
    }
    return id;
  }

  private void run(RunningJob job) {
    synchronized (lock) {
      if (job.finished()) {
        return;
      }
      job.started(System.currentTimeMillis());
      job.sample(System.nanoTime());
      publish(job, JobChanged.Builder::setStarted);
      running++;
      updateTicker();
    }
    JobState end;
    String failure = "";
    try {
      job.body.run(job);
      end = job.cancelled() ? JobState.JOB_STATE_CANCELLED : JobState.JOB_STATE_COMPLETED;
    } catch (JobCancelledException | InterruptedException e) {
      end = JobState.JOB_STATE_CANCELLED;
    } catch (Exception | Error e) {
      if (job.cancelled()) {
        end = JobState.JOB_STATE_CANCELLED; // a body stopped mid-item by the cancel
      } else {
        log.warn("job {} ({}) failed", job.id, job.kind, e);
        end = JobState.JOB_STATE_FAILED;
        failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
    }
    synchronized (lock) {
      futures.remove(job.id);
      running--;
      updateTicker();
      job.finished(end, failure, System.currentTimeMillis());
      publish(
          job,
          switch (end) {
            case JOB_STATE_COMPLETED -> JobChanged.Builder::setCompleted;
            case JOB_STATE_FAILED -> JobChanged.Builder::setFailed;
            default -> JobChanged.Builder::setCancelled;
          });
      evictFinished();
    }
  }

  private void tick() {
    try {
      synchronized (lock) {
        long now = System.nanoTime();
        for (RunningJob j : jobs.values()) {
          if (j.state() != JobState.JOB_STATE_RUNNING) {
            continue;
          }
          j.sample(now);
          if (j.done() != j.publishedDone || j.errors() != j.publishedErrors) {
            publish(j, JobChanged.Builder::setProgress);
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("job ticker failed", e);
    }
  }

  /** Publishes one event for {@code job}; caller holds {@link #lock}. */
  private long publish(
      RunningJob job,
      java.util.function.BiFunction<JobChanged.Builder, Job, JobChanged.Builder> set) {
    job.publishedDone = job.done();
    job.publishedErrors = job.errors();
    JobChanged.Builder change = set.apply(JobChanged.newBuilder(), job.toProto());
    return lane.publish(
        Topic.JOBS,
        Envelope.newBuilder().setJobs(change),
        Envelope.newBuilder().setJobs(snapshot()));
  }

  private JobChanged.Builder snapshot() {
    JobList.Builder all = JobList.newBuilder();
    jobs.values().forEach(j -> all.addJobs(j.toProto()));
    return JobChanged.newBuilder().setSnapshot(all);
  }

  /** The topic's snapshot, for a hub that asks before any job ran. */
  public Envelope.Builder snapshotEnvelope() {
    synchronized (lock) {
      return Envelope.newBuilder().setJobs(snapshot());
    }
  }

  private void evictFinished() {
    List<String> finished = new ArrayList<>();
    jobs.values().stream().filter(RunningJob::finished).forEach(j -> finished.add(j.id));
    for (int i = 0; i < finished.size() - MAX_FINISHED; i++) {
      jobs.remove(finished.get(i));
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      jobs.values().forEach(RunningJob::requestCancel);
    }
    ticker.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
