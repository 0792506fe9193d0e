package io.tonearm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a process's CPU goes, by thread: a snapshot of every thread's time on a CPU (schedstat, ns)
 * and its kernel share (stat's stime, in 10 ms ticks), and the difference of two snapshots grouped
 * by thread name with its digits replaced by {@code N} (so a pool's threads add up: {@code
 * epollEventLoopGroup-N-N}). Threads that start or end between the snapshots count for the part
 * seen.
 */
final class ThreadCpu {

  /** One thread at one time: name, ns on a CPU, kernel ticks. */
  private record Sample(String name, long runNs, long stimeTicks) {}

  /** A thread group's CPU over a window: ms on a CPU and the kernel's part of it, in ms. */
  record Group(String name, int threads, double ms, double kernelMs) {}

  private final long pid;
  private final Map<String, Sample> before;

  /** Snapshots {@code pid}'s threads now. */
  ThreadCpu(long pid) throws IOException {
    this.pid = pid;
    this.before = sample(pid);
  }

  /** The groups' CPU since the snapshot, largest first. */
  List<Group> since() throws IOException {
    Map<String, Sample> now = sample(pid);
    Map<String, double[]> groups = new HashMap<>();
    for (Map.Entry<String, Sample> e : now.entrySet()) {
      Sample b = before.get(e.getKey());
      Sample a = e.getValue();
      long run = a.runNs() - (b == null ? 0 : b.runNs());
      long sys = a.stimeTicks() - (b == null ? 0 : b.stimeTicks());
      double[] g = groups.computeIfAbsent(a.name().replaceAll("[0-9]+", "N"), k -> new double[3]);
      g[0] += run / 1e6;
      g[1] += sys * 10.0;
      g[2]++;
    }
    return groups.entrySet().stream()
        .map(e -> new Group(e.getKey(), (int) e.getValue()[2], e.getValue()[0], e.getValue()[1]))
        .sorted((x, y) -> Double.compare(y.ms(), x.ms()))
        .toList();
  }

  /**
   * The groups of {@link #since} as text, each in ms per {@code per} (e.g. per command), those
   * under {@code floorMs} left out (their sum says how much).
   */
  String describe(String process, double per, double floorMs) throws IOException {
    StringBuilder sb = new StringBuilder(process).append(':');
    double rest = 0;
    double total = 0;
    for (Group g : since()) {
      double ms = g.ms() / per;
      total += ms;
      if (ms < floorMs) {
        rest += ms;
        continue;
      }
      sb.append(
          String.format(
              java.util.Locale.ROOT,
              " %s(x%d)=%.2f[k%.1f]",
              g.name(),
              g.threads(),
              ms,
              g.kernelMs() / per));
    }
    return sb.append(String.format(java.util.Locale.ROOT, " other=%.2f total=%.2f", rest, total))
        .toString();
  }

  /** Per-group ms for a report's figures: {@code prefix + group name}. */
  Map<String, Double> figures(String prefix, double per, double floorMs) throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Group g : since()) {
      if (g.ms() / per >= floorMs) {
        out.put(prefix + g.name(), g.ms() / per);
      }
    }
    return out;
  }

  private static Map<String, Sample> sample(long pid) throws IOException {
    Map<String, Sample> out = new TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long run = Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
          out.put(t.getFileName().toString(), new Sample(name, run, Long.parseLong(f[12])));
        } catch (IOException | RuntimeException e) {
          // The thread ended meanwhile.
        }
      }
    }
    return out;
  }
}
