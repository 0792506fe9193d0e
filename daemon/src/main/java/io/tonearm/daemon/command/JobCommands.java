package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.proto.v1.Job;
import io.tonearm.proto.v1.JobList;
import io.tonearm.proto.v1.JobReply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/** Handlers of the jobs commands: in memory and non-blocking, answered on the calling thread. */
final class JobCommands {

  private static final Pattern JOB_ID = Pattern.compile("j[0-9]{1,18}");

  private final Jobs jobs;

  JobCommands(Jobs jobs) {
    this.jobs = jobs;
  }

  CompletionStage<JobList> list(Call<Empty> c) {
    return CompletableFuture.completedFuture(JobList.newBuilder().addAllJobs(jobs.list()).build());
  }

  CompletionStage<JobReply> get(Call<Empty> c) {
    String id = checkId(c.param("id"));
    Job job = jobs.get(id).orElseThrow(() -> DomainException.notFound("job", id));
    return CompletableFuture.completedFuture(JobReply.newBuilder().setJob(job).build());
  }

  CompletionStage<JobReply> cancel(Call<Empty> c) {
    String id = checkId(c.param("id"));
    Job before = jobs.get(id).orElseThrow(() -> DomainException.notFound("job", id));
    long seq =
        jobs.cancel(id)
            .orElseThrow(
                () -> DomainException.conflict("job " + id + " already " + before.getState()));
    Job after = jobs.get(id).orElse(before);
    return CompletableFuture.completedFuture(
        JobReply.newBuilder().setSeq(seq).setJob(after).build());
  }

  private static String checkId(String id) {
    if (!JOB_ID.matcher(id).matches()) {
      throw DomainException.notFound("job", id.length() > 40 ? id.substring(0, 40) : id);
    }
    return id;
  }
}
