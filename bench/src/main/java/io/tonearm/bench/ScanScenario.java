package io.tonearm.bench;

import io.tonearm.bench.library.LibraryBench;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code scan CORPUS [RUNS]}: Tonearm's library scan of a folder, cold and unchanged, in this JVM
 * ({@link LibraryBench#scanRuns}); with {@code --against-mpd}, after each Tonearm run MPD's {@code
 * update} of the same folder from an empty database in its own process: wall time, MPD's CPU
 * seconds (/proc) and songs, and the ratios. The corpus is read once before the first run so that
 * both find it in the page cache. Not available with {@code --url}: the scan runs in-process.
 */
final class ScanScenario {

  private ScanScenario() {}

  static void run(Args a) throws Exception {
    List<String> words = a.positional();
    if (words.isEmpty()) {
      throw new IllegalArgumentException("scan needs a CORPUS folder");
    }
    if (a.url() != null) {
      throw new IllegalArgumentException("scan measures the library in this JVM: no --url");
    }
    Path corpus = Path.of(words.get(0)).toAbsolutePath();
    if (!Files.isDirectory(corpus)) {
      throw new IllegalArgumentException("not a folder: " + corpus);
    }
    int runs = words.size() > 1 ? Integer.parseInt(words.get(1)) : a.integer("runs", 3);
    boolean mpd = a.flag("against-mpd");
    Report report = new Report("scan").param("corpus", corpus).param("runs", runs);
    report.note(
        "tonearm: Library scan in the bench JVM (JIT warmed by the earlier runs); cold_cpu_s is"
            + " the bench process's CPU over the cold scan");
    if (mpd) {
      report.param("mpd", MpdProcess.version());
      report.note(
          "mpd: `update` from an empty database in its own process, polled with status every 10"
              + " ms; mpd_cpu_s from /proc/<pid>/stat over the update");
    }
    warmPageCache(corpus);
    for (int r = 0; r < runs; r++) {
      Map<String, Double> f = LibraryBench.scanRuns(corpus, 1).get(0);
      if (mpd) {
        try (MpdProcess m = MpdProcess.withEmptyDatabase(corpus)) {
          double cpu0 = ProcStat.cpuSeconds(m.pid());
          long t0 = System.nanoTime();
          m.command("update");
          m.awaitUpdated();
          double wall = (System.nanoTime() - t0) / 1e9;
          double cpu = ProcStat.cpuSeconds(m.pid()) - cpu0;
          f.put("mpd_s", wall);
          f.put("mpd_cpu_s", cpu);
          f.put("mpd_songs", (double) m.stat("songs"));
          f.put("mpd_peak_rss_mb", ProcStat.rssKb(m.pid())[1] / 1024.0);
          f.put("wall_ratio", f.get("cold_s") / wall);
          f.put("cpu_ratio", f.get("cold_cpu_s") / cpu);
        }
      }
      report.run(f);
    }
    report.write(a);
  }

  private static void warmPageCache(Path corpus) throws IOException {
    byte[] buf = new byte[1 << 16];
    try (Stream<Path> s = Files.walk(corpus)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        try (InputStream in = Files.newInputStream(p)) {
          while (in.read(buf) >= 0) {
            // reading is the point
          }
        }
      }
    }
  }
}
