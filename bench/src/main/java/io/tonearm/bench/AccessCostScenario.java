package io.tonearm.bench;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.config.Config;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What authentication and limits cost per command: two in-process daemons, one trusting loopback
 * (no token checked, no bucket taken) and one with {@code --trust-loopback off} whose clients send
 * a token (HMAC-SHA256 lookup, scope check, the token's bucket; rates high enough never to refuse).
 * T client threads send {@code GET /api/v1/player} over keep-alive HTTP for S seconds each run,
 * alternating the two; reported: commands per second and process CPU per command (clients included,
 * the same for both), medians of the runs, and their ratios.
 */
final class AccessCostScenario {

  private AccessCostScenario() {}

  private record Run(double perSecond, double cpuMicrosPerCommand) {}

  static void run(Args a) throws Exception {
    int threads = a.integer("threads", 4);
    int seconds = a.integer("seconds", 10);
    int runs = a.integer("runs", 5);
    Path base = Files.createTempDirectory("tonearm-access-cost");
    Path plainDir = Files.createDirectories(base.resolve("plain"));
    Path authDir = Files.createDirectories(base.resolve("auth"));
    Config plain = Config.defaults(0, plainDir).withMusic(List.of(plainDir));
    Config auth =
        Config.defaults(0, authDir)
            .withMusic(List.of(authDir))
            .withSecurity(
                Config.Security.defaults()
                    .withTrustLoopback(false)
                    .withRates(1_000_000, 1_000_000, 1_000_000, 1_000_000));
    try (Daemon p = Daemon.start(plain);
        Daemon q = Daemon.start(auth)) {
      String token = Files.readString(authDir.resolve("admin.token")).trim();
      measure(p.port(), null, threads, 2); // warm-up, both
      measure(q.port(), token, threads, 2);
      List<Run> without = new ArrayList<>();
      List<Run> with = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        Run w = measure(p.port(), null, threads, seconds);
        Run t = measure(q.port(), token, threads, seconds);
        without.add(w);
        with.add(t);
        System.out.printf(
            Locale.ROOT,
            "run %d: without auth %.0f commands/s, %.1f us CPU each; with token+limits %.0f/s, %.1f us%n",
            i + 1,
            w.perSecond,
            w.cpuMicrosPerCommand,
            t.perSecond,
            t.cpuMicrosPerCommand);
      }
      double ws = Median.of(without, Run::perSecond);
      double ts = Median.of(with, Run::perSecond);
      double wc = Median.of(without, Run::cpuMicrosPerCommand);
      double tc = Median.of(with, Run::cpuMicrosPerCommand);
      System.out.printf(
          Locale.ROOT,
          "median of %d: without %.0f commands/s (%.1f us CPU each), with %.0f/s (%.1f us):"
              + " throughput %.3fx, CPU per command %.3fx (threads %d, %d s per run)%n",
          runs,
          ws,
          wc,
          ts,
          tc,
          ts / ws,
          tc / wc,
          threads,
          seconds);
    }
  }

  private static Run measure(int port, String token, int threads, int seconds) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/player");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest.Builder b = HttpRequest.newBuilder(uri);
                if (token != null) {
                  b.header("Authorization", "Bearer " + token);
                }
                HttpRequest r = b.build();
                while (!stop.get()) {
                  try {
                    HttpResponse<Void> resp = c.send(r, HttpResponse.BodyHandlers.discarding());
                    if (resp.statusCode() != 200) {
                      throw new IllegalStateException("status " + resp.statusCode());
                    }
                    done.incrementAndGet();
                  } catch (InterruptedException e) {
                    return;
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }
              });
      t.start();
      ts.add(t);
    }
    Thread.sleep(300);
    long n0 = done.get();
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long n1 = done.get();
    long cpu1 = cpuNanos();
    long t1 = System.nanoTime();
    stop.set(true);
    for (Thread t : ts) {
      t.join();
    }
    long n = n1 - n0;
    return new Run(n / ((t1 - t0) / 1e9), (cpu1 - cpu0) / 1e3 / Math.max(1, n));
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
