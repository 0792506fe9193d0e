package io.tonearm.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU of the daemon while it plays to the clocked null output, in percent of one core, per format:
 * the daemon runs as a child process with the corpus as its music folder, a queue of files of one
 * format plays, and the process's user+system time is read from /proc over a window after a
 * warm-up. Median of several runs per format. Each run also prints the threads that took CPU in the
 * window, with their voluntary context switches (wake-ups) per second.
 *
 * <p>The warm-up defaults to 120 s: the JIT compilers take 1-2% of a core in the first minute of
 * playback and still a little in the second (the audio threads' methods run 50 times a second, so
 * they reach the optimizing compiler late); a daemon plays for hours, so the figure that compares
 * with MPD is the steady state after it. {@code --warmup 5} shows the early cost.
 *
 * <p>{@code java -jar bench/target/tonearm-bench.jar play-cpu --jar
 * daemon/target/tonearm-daemon.jar --corpus DIR [--formats flac,mp3,opus] [--seconds 20] [--runs 3]
 * [--warmup 120] [--java-opts "..."] [--against-mpd [--mpd-warmup 5]] [--report DIR]}: with {@code
 * --against-mpd} each format's run is followed by MPD playing the same files.
 */
public final class PlayCpuBench {

  private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux

  /** The JVM options of the README's run command: the daemon is measured as it is run. */
  static final String README_JAVA_OPTS =
      "-Xms16m -Xmx256m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
          + " -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1"
          + " -XX:TrimNativeHeapInterval=5000 -XX:-UsePerfData"
          + " -XX:+ExitOnOutOfMemoryError -XX:+UnlockDiagnosticVMOptions"
          + " -XX:AsyncDeflationInterval=10000";

  public static void main(String[] args) throws Exception {
    run(new Args(args, 0));
  }

  static void run(Args a) throws Exception {
    String jar = a.string("jar", "daemon/target/tonearm-daemon.jar");
    String dir = a.string("corpus", null);
    if (dir == null) {
      throw new IllegalArgumentException("--corpus DIR is required");
    }
    if (a.url() != null) {
      throw new IllegalArgumentException(
          "play-cpu starts the daemon with its own music folder and queue: no --url");
    }
    Path corpus = Path.of(dir).toRealPath();
    List<String> formats = List.of(a.string("formats", "flac,mp3,opus").split(","));
    int seconds = a.integer("seconds", 20);
    int runs = a.integer("runs", 3);
    int warmup = a.integer("warmup", 120);
    boolean mpd = a.flag("against-mpd");
    int mpdWarmup = a.integer("mpd-warmup", 5);
    String javaOpts = a.string("java-opts", README_JAVA_OPTS);
    Report report =
        new Report("play-cpu")
            .param("corpus", corpus)
            .param("jar", jar)
            .param("java_opts", javaOpts)
            .param("formats", String.join(",", formats))
            .param("window_s", seconds)
            .param("warmup_s", warmup);
    report.note(
        "% of one core: the process's utime+stime (/proc/<pid>/stat) over the window while it"
            + " plays a queue of up to 40 files of the format to a clocked null output");
    if (mpd) {
      report.param("mpd", MpdProcess.version()).param("mpd_warmup_s", mpdWarmup);
      report.note(
          "mpd: the same files, queued after an update of the same folder, null output with"
              + " sync yes and a software mixer; MPD has no JIT, so its warm-up is shorter");
    }
    Map<String, List<Path>> files = new java.util.LinkedHashMap<>();
    for (String format : formats) {
      files.put(format, filesOf(corpus, format));
    }
    for (int r = 0; r < runs; r++) {
      Map<String, Double> f = new java.util.LinkedHashMap<>();
      for (String format : formats) {
        double pct = run(jar, javaOpts, corpus, files.get(format), seconds, warmup);
        f.put(format + "_pct", pct);
        if (mpd) {
          double m = mpdRun(corpus, files.get(format), seconds, mpdWarmup);
          f.put(format + "_mpd_pct", m);
          f.put(format + "_ratio", pct / m);
        }
      }
      report.run(f);
    }
    report.write(a);
  }

  /** MPD's CPU in % of one core while it plays {@code files} from {@code corpus}. */
  static double mpdRun(Path corpus, List<Path> files, int seconds, int warmup) throws Exception {
    try (MpdProcess m = MpdProcess.withEmptyDatabase(corpus)) {
      m.command("update");
      m.awaitUpdated();
      StringBuilder add = new StringBuilder("command_list_begin\n");
      for (Path f : files) {
        add.append("add ").append(MpdProcess.quote(corpus.relativize(f).toString())).append('\n');
      }
      m.command(add.append("command_list_end").toString());
      m.command("play 0");
      Thread.sleep(warmup * 1000L);
      double before = ProcStat.cpuSeconds(m.pid());
      Thread.sleep(seconds * 1000L);
      double after = ProcStat.cpuSeconds(m.pid());
      if (m.command("status").stream().noneMatch(l -> l.equals("state: play"))) {
        throw new IllegalStateException("mpd was not playing at the end of the window");
      }
      return (after - before) / seconds * 100;
    }
  }

  static List<Path> filesOf(Path corpus, String ext) throws IOException {
    try (Stream<Path> s = Files.walk(corpus)) {
      List<Path> all =
          s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith("." + ext))
              .filter(p -> !p.toString().contains("/broken"))
              .sorted()
              .collect(Collectors.toList());
      if (all.isEmpty()) {
        throw new IllegalArgumentException("no ." + ext + " files under " + corpus);
      }
      return all.subList(0, Math.min(40, all.size()));
    }
  }

  private static double run(
      String jar, String javaOpts, Path corpus, List<Path> files, int seconds, int warmup)
      throws Exception {
    try (JarDaemon d = JarDaemon.start(jar, javaOpts, corpus, "tonearm-playcpu", 0)) {
      d.queue(files);
      d.post("/api/v1/player/play", "");
      Thread.sleep(warmup * 1000L); // JIT, buffers, the first files
      Map<String, long[]> threadsBefore = threads(d.pid());
      long before = cpuTicks(d.pid());
      Thread.sleep(seconds * 1000L);
      long after = cpuTicks(d.pid());
      printThreads(threadsBefore, threads(d.pid()), seconds);
      return (after - before) / CLOCK_TICKS / seconds * 100;
    }
  }

  static void awaitHealthy(HttpClient http, String base) throws Exception {
    for (int i = 0; i < 300; i++) {
      try {
        if (get(http, base + "/health").contains("\"ok\"")) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("daemon did not start");
  }

  /** Waits until no job is running, so the scan at start does not count as playback. */
  static void awaitScanDone(HttpClient http, String base) throws Exception {
    for (int i = 0; i < 1200; i++) {
      String jobs = get(http, base + "/api/v1/jobs");
      if (!jobs.contains("JOB_STATE_RUNNING") && !jobs.contains("JOB_STATE_QUEUED")) {
        return;
      }
      Thread.sleep(100);
    }
  }

  /** Per thread name: CPU ticks and voluntary context switches, summed over same-named threads. */
  static Map<String, long[]> threads(long pid) throws IOException {
    Map<String, long[]> out = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long switches = 0;
          for (String line : Files.readAllLines(t.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              switches = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
          long[] v = out.computeIfAbsent(name.replaceAll("[0-9]+$", "#"), k -> new long[2]);
          v[0] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          v[1] += switches;
        } catch (IOException | RuntimeException gone) {
          // the thread ended between the listing and the read
        }
      }
    }
    return out;
  }

  static void printThreads(Map<String, long[]> before, Map<String, long[]> after, int s) {
    after.entrySet().stream()
        .map(
            e -> {
              long[] b = before.getOrDefault(e.getKey(), new long[2]);
              return Map.entry(
                  e.getKey(), new double[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
            })
        .filter(e -> e.getValue()[0] > 0 || e.getValue()[1] / s >= 5)
        .sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]))
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "    %-24s %5.2f%%  %4.0f wake-ups/s%n",
                    e.getKey(),
                    e.getValue()[0] / CLOCK_TICKS / s * 100,
                    e.getValue()[1] / s));
  }

  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
  }

  private static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static void post(HttpClient http, String url, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
    }
  }
}
