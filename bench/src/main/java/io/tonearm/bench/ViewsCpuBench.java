package io.tonearm.bench;

import io.tonearm.proto.v1.Envelope;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU that live analysis views add to playback: the daemon plays FLAC files to the clocked null
 * output while one WebSocket client watches four views at 60 fps (spectrum 2048 linear, spectrum
 * 4096 with 64 log bands A-weighted, waveform, meters: the views of the analysis issue's target,
 * subscribed with the same JSON request as {@code /tmp/views.py}). After a warm-up with the viewer
 * attached (the JIT compiles both the audio and the analysis paths), the daemon's CPU is read over
 * a window with the viewer, then the viewer closes and the same window is read without it; the
 * figure is the difference, in percent of one core. Each window prints its busy threads with their
 * wake-ups per second, and the frames the viewer received per view. Median of several runs.
 *
 * <p>{@code java -jar bench/target/tonearm-bench.jar views-cpu --jar
 * daemon/target/tonearm-daemon.jar --corpus DIR [--format flac] [--seconds 20] [--runs 3] [--warmup
 * 60] [--fps 60] [--port P (default: a free one)] [--jvm "..." (default: the README's run options)]
 * [--report DIR]}
 */
public final class ViewsCpuBench {

  private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux

  /** The four views of the target, as the JSON subscribe request of the WebSocket protocol. */
  static String subscribe(int fps) {
    return "{\"request_id\":\"views\",\"subscribe\":{\"views\":["
        + "{\"topic\":\"spectrum\",\"fps\":"
        + fps
        + ",\"spectrum\":{\"size\":2048}},"
        + "{\"topic\":\"spectrum\",\"fps\":"
        + fps
        + ",\"spectrum\":{\"size\":4096,"
        + "\"layout\":\"BAND_LAYOUT_LOG\",\"band_count\":64,\"weighting\":\"WEIGHTING_A\"}},"
        + "{\"topic\":\"waveform\",\"fps\":"
        + fps
        + "},"
        + "{\"topic\":\"meters\",\"fps\":"
        + fps
        + "}]}}";
  }

  /**
   * One run: daemon CPU with and without the viewer, the same without the JIT compiler threads
   * (whose work in the window is a one-off: methods called 60 times a second reach the optimizing
   * compiler only after minutes), and frames received per view.
   */
  private record Result(
      double with,
      double without,
      double withNoJit,
      double withoutNoJit,
      Map<String, Long> frames) {}

  /** Percent of one core over {@code seconds} of the threads other than the JIT compilers. */
  private static double withoutCompilers(
      Map<String, long[]> before, Map<String, long[]> after, int seconds) {
    long ticks = 0;
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      if (!e.getKey().contains("CompilerThre")) {
        long[] b = before.get(e.getKey());
        ticks += e.getValue()[0] - (b == null ? 0 : b[0]);
      }
    }
    return ticks / CLOCK_TICKS / seconds * 100;
  }

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
          "views-cpu starts the daemon with its own music folder and queue: no --url");
    }
    Path corpus = Path.of(dir).toRealPath();
    String format = a.string("format", "flac");
    int seconds = a.integer("seconds", 20);
    int runs = a.integer("runs", 3);
    int warmup = a.integer("warmup", 60);
    int fps = a.integer("fps", 60);
    int port = a.integer("port", 0);
    String jvm = a.string("jvm", PlayCpuBench.README_JAVA_OPTS);
    List<Path> files = PlayCpuBench.filesOf(corpus, format);
    Report report =
        new Report("views-cpu")
            .param("corpus", corpus)
            .param("format", format)
            .param("fps", fps)
            .param("window_s", seconds)
            .param("warmup_s", warmup)
            .param("jvm", jvm);
    report.note(
        "four views (spectrum 2048, spectrum 4096 64 log bands A-weighted, waveform, meters) on"
            + " one socket; % of one core from /proc, window with the viewer minus the window"
            + " after it closed; *_no_jit leave out the JIT compiler threads");
    for (int r = 0; r < runs; r++) {
      Result res = run(jar, jvm, corpus, files, seconds, warmup, fps, port);
      Map<String, Double> f = new java.util.LinkedHashMap<>();
      f.put("with_pct", res.with);
      f.put("without_pct", res.without);
      f.put("views_add_pct", res.with - res.without);
      f.put("views_add_no_jit_pct", res.withNoJit - res.withoutNoJit);
      res.frames.forEach((view, n) -> f.put(view + "_frames_per_s", n / (double) seconds));
      report.run(f);
    }
    report.write(a);
  }

  private static Result run(
      String jar,
      String jvm,
      Path corpus,
      List<Path> files,
      int seconds,
      int warmup,
      int fps,
      int port)
      throws Exception {
    try (JarDaemon d = JarDaemon.start(jar, jvm, corpus, "tonearm-viewscpu", port)) {
      d.queue(files);
      d.post("/api/v1/player/play", "");
      long pid = d.pid();
      HttpClient http = d.http();
      System.out.printf("  daemon pid %d%n", pid);
      Viewer viewer = new Viewer();
      WebSocket ws =
          http.newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + d.port() + "/ws"), viewer)
              .get(5, TimeUnit.SECONDS);
      ws.sendText(subscribe(fps), true).get(5, TimeUnit.SECONDS);
      Thread.sleep(warmup * 1000L); // JIT of playback and analysis, buffers, the first files

      Map<String, long[]> threads = PlayCpuBench.threads(pid);
      Map<String, Long> framesBefore = viewer.snapshot();
      long before = PlayCpuBench.cpuTicks(pid);
      Thread.sleep(seconds * 1000L);
      long after = PlayCpuBench.cpuTicks(pid);
      Map<String, Long> frames = viewer.snapshot();
      frames.replaceAll((k, v) -> v - framesBefore.getOrDefault(k, 0L));
      System.out.println("  with the viewer:");
      Map<String, long[]> threadsAfter = PlayCpuBench.threads(pid);
      PlayCpuBench.printThreads(threads, threadsAfter, seconds);
      double with = (after - before) / CLOCK_TICKS / seconds * 100;
      double withNoJit = withoutCompilers(threads, threadsAfter, seconds);

      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
      Thread.sleep(3000); // streams stop, meters stop measuring
      threads = PlayCpuBench.threads(pid);
      before = PlayCpuBench.cpuTicks(pid);
      Thread.sleep(seconds * 1000L);
      after = PlayCpuBench.cpuTicks(pid);
      System.out.println("  without:");
      threadsAfter = PlayCpuBench.threads(pid);
      PlayCpuBench.printThreads(threads, threadsAfter, seconds);
      double without = (after - before) / CLOCK_TICKS / seconds * 100;
      double withoutNoJit = withoutCompilers(threads, threadsAfter, seconds);
      return new Result(with, without, withNoJit, withoutNoJit, frames);
    }
  }

  /** Counts binary frames per stream id (the envelope's {@code stream}), e.g. "spectrum-1". */
  private static final class Viewer implements WebSocket.Listener {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.write(b, 0, b.length);
      if (last) {
        try {
          Envelope e = Envelope.parseFrom(partial.toByteArray());
          if (!e.getStream().isEmpty()) {
            counts.computeIfAbsent(e.getStream(), k -> new AtomicLong()).incrementAndGet();
          }
          if (System.getenv("VIEWS_DEBUG") != null && counts.size() < 2) {
            System.out.println("DEBUG " + e);
          }
        } catch (com.google.protobuf.InvalidProtocolBufferException bad) {
          counts.computeIfAbsent("unparsable", k -> new AtomicLong()).incrementAndGet();
        }
        partial.reset();
      }
      ws.request(1);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      ws.request(1);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      System.out.println("  viewer failed: " + error);
    }

    Map<String, Long> snapshot() {
      Map<String, Long> out = new TreeMap<>();
      counts.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }
  }
}
