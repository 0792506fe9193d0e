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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    if (a.url() != null) {
      throw new IllegalArgumentException(
          "access-cost compares two daemons it starts itself (with and without auth): no --url");
    }
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
      Report report =
          new Report("access-cost")
              .param("threads", threads)
              .param("seconds_per_run", seconds)
              .param("daemon", "two in-process daemons: loopback trusted vs token + limits");
      report.note("CPU per command is the bench process's CPU (clients included) per command");
      for (int i = 0; i < runs; i++) {
        Run w = measure(p.port(), null, threads, seconds);
        Run t = measure(q.port(), token, threads, seconds);
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("without_commands_per_s", w.perSecond);
        f.put("without_cpu_us_per_command", w.cpuMicrosPerCommand);
        f.put("with_commands_per_s", t.perSecond);
        f.put("with_cpu_us_per_command", t.cpuMicrosPerCommand);
        f.put("throughput_ratio", t.perSecond / w.perSecond);
        f.put("cpu_ratio", t.cpuMicrosPerCommand / w.cpuMicrosPerCommand);
        report.run(f);
      }
      report.write(a);
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
