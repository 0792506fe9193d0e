package io.tonearm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time and run-queue wait from Linux's /proc. */
final class ProcStat {

  /** Linux USER_HZ: the unit of utime and stime in /proc/<pid>/stat. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStat() {}

  /** CPU seconds (user + system) of process {@code pid}. */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }

  /** CPU seconds spent in the kernel (stime) by process {@code pid}. */
  static double systemCpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[12]) / TICKS_PER_SECOND;
  }

  /**
   * CPU seconds (user + system) of the threads of {@code pid} whose name starts with {@code prefix}
   * (Linux keeps the first 15 characters of a thread's name). Threads that ended are not counted.
   */
  static double threadCpuSeconds(long pid, String prefix) throws IOException {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (name.startsWith(prefix)) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException e) {
          // The thread ended meanwhile.
        }
      }
    }
    return ticks / TICKS_PER_SECOND;
  }

  /**
   * Seconds the threads of {@code pid} have spent runnable but waiting for a CPU, summed (second
   * field of /proc/<pid>/task/<tid>/schedstat, in ns). Threads that ended are not counted.
   */
  static double runQueueWaitSeconds(long pid) throws IOException {
    return schedNanos(pid)[1] / 1e9;
  }

  /**
   * Nanoseconds the threads of {@code pid} have spent on a CPU and runnable but waiting for one,
   * summed over its live threads (/proc/<pid>/task/<tid>/schedstat); threads that ended are not
   * counted, so take differences over windows in which none ends.
   */
  static long[] schedNanos(long pid) throws IOException {
    long run = 0;
    long ns = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String[] f = Files.readString(t.resolve("schedstat")).trim().split(" ");
          run += Long.parseLong(f[0]);
          ns += Long.parseLong(f[1]);
        } catch (IOException e) {
          // The thread ended meanwhile.
        }
      }
    }
    return new long[] {run, ns};
  }

  /** Resident set and its high-water mark of {@code pid}, in kB ({@code VmRSS}, {@code VmHWM}). */
  static long[] rssKb(long pid) throws IOException {
    long rss = -1;
    long hwm = -1;
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) {
        rss = Long.parseLong(l.replaceAll("\\D", ""));
      } else if (l.startsWith("VmHWM:")) {
        hwm = Long.parseLong(l.replaceAll("\\D", ""));
      }
    }
    return new long[] {rss, hwm};
  }
}
