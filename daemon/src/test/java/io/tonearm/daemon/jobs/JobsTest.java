package io.tonearm.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.errors.DomainException.Kind;
import io.tonearm.daemon.library.RecordingLane;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Job;
import io.tonearm.proto.v1.JobChanged;
import io.tonearm.proto.v1.JobReply;
import io.tonearm.proto.v1.JobState;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobsTest {
  RecordingLane lane;
  Jobs jobs;

  @BeforeEach
  void open() {
    lane = new RecordingLane();
    jobs = new Jobs(lane, 1);
    jobs.start();
  }

  @AfterEach
  void close() {
    jobs.close();
  }

  Job await(String id) throws InterruptedException {
    for (int i = 0; i < 6000; i++) {
      Job j = jobs.find(id).orElseThrow();
      if (j.getState() != JobState.JOB_STATE_QUEUED && j.getState() != JobState.JOB_STATE_RUNNING) {
        return j;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("job did not finish");
  }

  List<JobChanged.ChangeCase> changesOf(String id) {
    return lane.events().stream()
        .map(Envelope::getJobs)
        .filter(c -> jobOf(c).getId().equals(id))
        .map(JobChanged::getChangeCase)
        .toList();
  }

  static Job jobOf(JobChanged c) {
    return switch (c.getChangeCase()) {
      case CREATED -> c.getCreated();
      case STARTED -> c.getStarted();
      case PROGRESS -> c.getProgress();
      case COMPLETED -> c.getCompleted();
      case FAILED -> c.getFailed();
      case CANCELLED -> c.getCancelled();
      default -> Job.getDefaultInstance();
    };
  }

  @Test
  void completedJobReportsDoneTotalAndErrors() throws Exception {
    var s =
        jobs.submit(
            "test.count",
            "count to 1000",
            "test",
            ctx -> {
              ctx.total(1000);
              for (int i = 0; i < 1000; i++) {
                ctx.advance("item " + i);
                if (i % 100 == 0) {
                  ctx.error("item " + i, "bad item");
                }
              }
            });
    assertEquals(1, s.seq());
    Job j = await(s.jobId());
    assertEquals(JobState.JOB_STATE_COMPLETED, j.getState());
    assertEquals(1000, j.getDone());
    assertEquals(1000, j.getTotal());
    assertEquals(10, j.getErrorCount());
    assertEquals("item 900: bad item", j.getRecentErrors(9));
    List<JobChanged.ChangeCase> changes = changesOf(s.jobId());
    assertEquals(JobChanged.ChangeCase.CREATED, changes.get(0));
    assertEquals(JobChanged.ChangeCase.STARTED, changes.get(1));
    assertEquals(JobChanged.ChangeCase.COMPLETED, changes.get(changes.size() - 1));
  }

  @Test
  void progressEventsAreRateLimitedNotOnePerItem() throws Exception {
    var s =
        jobs.submit(
            "test.busy",
            "busy",
            "test",
            ctx -> {
              ctx.total(200_000);
              for (int i = 0; i < 200_000; i++) {
                ctx.advance("");
                if (i % 1000 == 0) {
                  Thread.sleep(1);
                }
              }
            });
    await(s.jobId());
    long progress =
        changesOf(s.jobId()).stream().filter(c -> c == JobChanged.ChangeCase.PROGRESS).count();
    assertTrue(progress < 100, "progress events: " + progress);
  }

  @Test
  void failingBodyFailsWithItsMessage() throws Exception {
    var s =
        jobs.submit(
            "test.fail",
            "fail",
            "test",
            ctx -> {
              throw new IllegalStateException("disk on fire");
            });
    Job j = await(s.jobId());
    assertEquals(JobState.JOB_STATE_FAILED, j.getState());
    assertEquals("disk on fire", j.getFailure());
    assertTrue(changesOf(s.jobId()).contains(JobChanged.ChangeCase.FAILED));
  }

  @Test
  void cancelStopsRunningAndQueuedJobs() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    var first =
        jobs.submit(
            "test.loop",
            "loop",
            "test",
            ctx -> {
              running.countDown();
              while (true) {
                ctx.checkCancelled();
                Thread.sleep(1);
              }
            });
    var second = jobs.submit("test.never", "never", "test", ctx -> {});
    assertTrue(running.await(30, TimeUnit.SECONDS));
    JobReply queued = jobs.cancel(second.jobId()).toCompletableFuture().join();
    assertTrue(queued.getSeq() > 0, "a queued job is cancelled at once");
    assertEquals(JobState.JOB_STATE_CANCELLED, queued.getJob().getState());
    assertEquals(JobState.JOB_STATE_CANCELLED, jobs.find(second.jobId()).orElseThrow().getState());
    assertEquals(0L, jobs.cancel(first.jobId()).toCompletableFuture().join().getSeq());
    assertEquals(JobState.JOB_STATE_CANCELLED, await(first.jobId()).getState());
    assertEquals(Kind.CONFLICT, failure(jobs.cancel(first.jobId())).kind(), "already finished");
    assertEquals(Kind.NOT_FOUND, failure(jobs.cancel("j999")).kind());
    assertEquals(Kind.NOT_FOUND, failure(jobs.get("x;drop")).kind(), "malformed id");
    assertEquals(
        first.jobId(), jobs.get(first.jobId()).toCompletableFuture().join().getJob().getId());
    assertEquals(2, jobs.list().toCompletableFuture().join().getJobsCount());
    assertTrue(!changesOf(second.jobId()).contains(JobChanged.ChangeCase.STARTED));
  }

  private static DomainException failure(CompletionStage<?> stage) {
    CompletionException e =
        assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
    return (DomainException) e.getCause();
  }

  @Test
  void tooManyQueuedJobsAreRefused() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocking = new CountDownLatch(1);
    jobs.submit(
        "test.block",
        "block",
        "test",
        ctx -> {
          blocking.countDown();
          release.await();
        });
    // Only once it runs is the blocking job no longer one of the queued ones.
    assertTrue(blocking.await(30, TimeUnit.SECONDS));
    for (int i = 0; i < Jobs.MAX_QUEUED; i++) {
      jobs.submit("test.wait", "wait", "test", ctx -> {});
    }
    assertThrows(
        IllegalStateException.class, () -> jobs.submit("test.more", "more", "test", ctx -> {}));
    release.countDown();
  }
}
