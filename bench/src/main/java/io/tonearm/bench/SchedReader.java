package io.tonearm.bench;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The same sums as {@link ProcStat#schedNanos} (CPU time and run-queue wait of a process's live
 * threads, from /proc/<pid>/task/<tid>/schedstat), read cheaply enough to bracket every timed
 * window: each thread's file stays open and is re-read from offset 0 (the kernel renders it anew on
 * each read from the start) into one buffer, and parsed in place. Reading it with {@code
 * Files.list}, {@code readString} and {@code split} for the ~60 threads of the two JVMs twice per
 * resume was the bench's own main work, and the C2 compilations it caused ran in the bench JVM
 * beside the SDK's resumes. One per process; not thread-safe.
 */
final class SchedReader implements AutoCloseable {

  private final File tasks;
  private final Map<String, FileChannel> open = new HashMap<>();
  private final ByteBuffer buf = ByteBuffer.allocate(128);

  SchedReader(long pid) {
    this.tasks = new File("/proc/" + pid + "/task");
  }

  /**
   * CPU time and run-queue wait in ns summed over the threads alive now; threads that ended are not
   * counted, as in {@link ProcStat#schedNanos}.
   */
  long[] read() throws IOException {
    String[] tids = tasks.list();
    if (tids == null) {
      throw new IOException("cannot list " + tasks);
    }
    if (tids.length != open.size()) {
      forgetEnded(tids);
    }
    long run = 0;
    long wait = 0;
    for (String tid : tids) {
      FileChannel ch = open.get(tid);
      try {
        if (ch == null) {
          ch =
              FileChannel.open(Path.of(tasks.getPath(), tid, "schedstat"), StandardOpenOption.READ);
          open.put(tid, ch);
        }
        buf.clear();
        if (ch.read(buf, 0) <= 0) {
          continue;
        }
      } catch (IOException e) {
        continue; // the thread ended meanwhile
      }
      byte[] b = buf.array();
      int n = buf.position();
      int i = 0;
      long v = 0;
      for (; i < n && b[i] != ' '; i++) {
        v = v * 10 + (b[i] - '0');
      }
      run += v;
      v = 0;
      for (i++; i < n && b[i] >= '0' && b[i] <= '9'; i++) {
        v = v * 10 + (b[i] - '0');
      }
      wait += v;
    }
    return new long[] {run, wait};
  }

  private void forgetEnded(String[] tids) throws IOException {
    java.util.Set<String> alive = java.util.Set.of(tids);
    for (Iterator<Map.Entry<String, FileChannel>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, FileChannel> e = it.next();
      if (!alive.contains(e.getKey())) {
        e.getValue().close();
        it.remove();
      }
    }
  }

  @Override
  public void close() throws IOException {
    for (FileChannel ch : open.values()) {
      ch.close();
    }
    open.clear();
  }
}
