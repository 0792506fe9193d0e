package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.proto.v1.JobList;
import io.tonearm.proto.v1.JobReply;
import java.util.concurrent.CompletionStage;

/** Handlers of the jobs commands: each hands its path parameter to {@link Jobs}. */
final class JobCommands {

  private final Jobs jobs;

  JobCommands(Jobs jobs) {
    this.jobs = jobs;
  }

  CompletionStage<JobList> list(Call<Empty> c) {
    return jobs.list();
  }

  CompletionStage<JobReply> get(Call<Empty> c) {
    return jobs.get(c.param("id"));
  }

  CompletionStage<JobReply> cancel(Call<Empty> c) {
    return jobs.cancel(c.param("id"));
  }
}
