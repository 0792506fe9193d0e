package io.tonearm.daemon.library;

import io.tonearm.daemon.jobs.Jobs;
import java.nio.file.Path;
import java.util.List;

/** A child JVM for {@link LibraryDbTest}: scans a folder until it is killed. */
public final class ScanChild {
  private ScanChild() {}

  public static void main(String[] args) throws Exception {
    RecordingLane lane = new RecordingLane();
    Jobs jobs = new Jobs(lane, 1);
    jobs.start();
    Library library = new Library(Path.of(args[0]), lane, jobs);
    library.folders().add(args[1]);
    String id = library.scan(false, List.of(), "child").jobId();
    LibraryTest.awaitJob(jobs, id);
    System.out.println("finished");
  }
}
