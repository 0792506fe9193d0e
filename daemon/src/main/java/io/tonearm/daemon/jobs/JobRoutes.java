package io.tonearm.daemon.jobs;

import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.api.Router;
import io.tonearm.proto.v1.Job;
import io.tonearm.proto.v1.JobList;
import io.tonearm.proto.v1.JobReply;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * HTTP routes of the jobs framework: list, get and cancel. All in memory and non-blocking, so they
 * answer on the calling thread.
 */
public final class JobRoutes {
  private static final Pattern JOB_ID = Pattern.compile("j[0-9]{1,18}");

  private JobRoutes() {}

  /** Adds {@code GET /api/v1/jobs}, {@code GET /api/v1/jobs/{id}}, {@code POST .../cancel}. */
  public static void register(Router router, Jobs jobs) {
    router.get(
        "/api/v1/jobs",
        req ->
            CompletableFuture.completedFuture(
                ApiResponse.ok(JobList.newBuilder().addAllJobs(jobs.list()).build())));
    router.get(
        "/api/v1/jobs/{id}",
        req -> {
          String id = checkId(req.param("id"));
          Job job = jobs.get(id).orElseThrow(() -> ApiException.notFound("job", id));
          return CompletableFuture.completedFuture(
              ApiResponse.ok(JobReply.newBuilder().setJob(job).build()));
        });
    router.post(
        "/api/v1/jobs/{id}/cancel",
        req -> {
          String id = checkId(req.param("id"));
          Job before = jobs.get(id).orElseThrow(() -> ApiException.notFound("job", id));
          long seq =
              jobs.cancel(id)
                  .orElseThrow(
                      () -> ApiException.conflict("job " + id + " already " + before.getState()));
          Job after = jobs.get(id).orElse(before);
          return CompletableFuture.completedFuture(
              ApiResponse.ok(JobReply.newBuilder().setSeq(seq).setJob(after).build()));
        });
  }

  private static String checkId(String id) {
    if (!JOB_ID.matcher(id).matches()) {
      throw ApiException.notFound("job", id.length() > 40 ? id.substring(0, 40) : id);
    }
    return id;
  }
}
