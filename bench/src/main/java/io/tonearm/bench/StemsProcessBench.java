package io.tonearm.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code top} shows for issue 15's target: the whole daemon process's CPU (user + system, from
 * /proc) while it plays, to the clocked null output and in real time, a stem set with a client
 * watching topics {@code meters} and {@code stem_meters} at 30 fps, beside the same music as one
 * stereo file with a client watching {@code meters} at 30 fps. The daemon runs with the README's
 * JVM options, the item repeats (repeat all), and the two cases alternate, each in a daemon of its
 * own; per run the window's CPU and the threads that took it are printed, then the medians and
 * their ratio.
 *
 * <p>{@code java -cp bench/target/tonearm-bench.jar io.tonearm.bench.StemsProcessBench --jar
 * daemon/target/tonearm-daemon.jar --stems DIR.stems --stereo FILE.flac [--runs 3] [--warmup 30]
 * [--seconds 30] [--port 7120]}: both must be in one folder, the daemon's music folder.
 */
public final class StemsProcessBench {

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String jar = o.getOrDefault("jar", "daemon/target/tonearm-daemon.jar");
    Path stems = Path.of(o.get("stems")).toRealPath();
    Path stereo = Path.of(o.get("stereo")).toRealPath();
    if (!stems.getParent().equals(stereo.getParent())) {
      throw new IllegalArgumentException("--stems and --stereo must be in one folder");
    }
    int runs = Integer.parseInt(o.getOrDefault("runs", "3"));
    int warmup = Integer.parseInt(o.getOrDefault("warmup", "30"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "30"));
    int port = Integer.parseInt(o.getOrDefault("port", "0"));
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      a.add(run(jar, stereo, "meters", warmup, seconds, port));
      b.add(run(jar, stems, "meters,stem_meters", warmup, seconds, port));
      System.out.printf(
          Locale.ROOT,
          "run %d: stereo + meters %.2f%%, stems + meters + stem meters %.2f%% of a core (%.2fx)%n",
          r + 1,
          a.get(r),
          b.get(r),
          b.get(r) / a.get(r));
    }
    double ma = Median.of(a, x -> x);
    double mb = Median.of(b, x -> x);
    System.out.printf(
        Locale.ROOT,
        "median: stereo + meters %.2f%%, stems + meters + stem meters %.2f%% of a core: %.2fx%n",
        ma,
        mb,
        mb / ma);
  }

  /** The daemon's CPU in % of one core over the window while it plays {@code item} watched. */
  static double run(String jar, Path item, String topics, int warmup, int seconds, int fixedPort)
      throws Exception {
    WebSocket ws = null;
    try (JarDaemon d =
        JarDaemon.start(
            jar, PlayCpuBench.README_JAVA_OPTS, item.getParent(), "tonearm-stemscpu", fixedPort)) {
      long pid = d.pid();
      int port = d.port();
      HttpClient http = d.http();
      d.queue(List.of(item));
      d.post("/api/v1/player/repeat", "{\"mode\":\"REPEAT_MODE_ALL\"}");
      d.post("/api/v1/player/play", "");
      AtomicLong frames = new AtomicLong();
      ws =
          http.newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + port + "/ws?topics=" + topics + "&fps=30"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                      if (last) {
                        frames.incrementAndGet();
                      }
                      w.request(1);
                      return null;
                    }
                  })
              .join();
      Thread.sleep(warmup * 1000L); // JIT, buffers
      Map<String, long[]> threadsBefore = PlayCpuBench.threads(pid);
      long framesBefore = frames.get();
      long before = PlayCpuBench.cpuTicks(pid);
      Thread.sleep(seconds * 1000L);
      long after = PlayCpuBench.cpuTicks(pid);
      double fps = (frames.get() - framesBefore) / (double) seconds;
      System.out.printf(
          Locale.ROOT, "  %s (%s): %.1f messages/s received%n", item.getFileName(), topics, fps);
      PlayCpuBench.printThreads(threadsBefore, PlayCpuBench.threads(pid), seconds);
      return (after - before) / 100.0 / seconds * 100;
    } finally {
      if (ws != null) {
        ws.abort();
      }
    }
  }
}
