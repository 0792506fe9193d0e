package io.tonearm.client;

import io.tonearm.proto.v1.JobList;
import io.tonearm.proto.v1.JobReply;

/**
 * Background jobs: scans and analyses ({@code /api/v1/jobs}). Immutable and thread-safe; get it
 * from {@link TonearmClient#jobs()}.
 */
public final class JobCalls {

  private static final String BASE = "/api/v1/jobs";
  private final Requests r;

  JobCalls(Requests r) {
    this.r = r;
  }

  public Call<JobList> list() {
    return r.get(BASE, JobList.parser());
  }

  public Call<JobReply> get(String jobId) {
    return r.get(BASE + "/" + Requests.enc(Requests.id("jobId", jobId)), JobReply.parser());
  }

  /** Cancels a queued or running job; 409 {@code conflict} once it has finished. */
  public Call<JobReply> cancel(String jobId) {
    return r.send(
        "POST",
        BASE + "/" + Requests.enc(Requests.id("jobId", jobId)) + "/cancel",
        null,
        JobReply.parser());
  }
}
