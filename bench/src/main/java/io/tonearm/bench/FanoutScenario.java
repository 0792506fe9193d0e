package io.tonearm.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * N bare WebSocket clients subscribed to a synthetic ~1 KB transport frame stream at F fps plus the
 * player state lane (the bench daemon publishes {@code --state-hz} events a second). Reports
 * delivered frames a second, publish-to-receive latency, dropped frames (from /metrics) and the
 * daemon's CPU in cores, over a measuring window after a warm-up.
 */
final class FanoutScenario {

  record Run(
      double framesPerSec,
      double expectedPerSec,
      double p50,
      double p99,
      double max,
      double stateP99,
      double statePerSec,
      double drops,
      double serverCores,
      double serverWaitCores,
      double benchCores,
      int closed) {}

  private FanoutScenario() {}

  static void run(Args a) throws Exception {
    int clients = a.integer("clients", 1000);
    int fps = a.integer("fps", 60);
    int stateHz = a.integer("state-hz", 5);
    int warmup = a.integer("warmup", 3);
    int seconds = a.integer("seconds", 10);
    int runs = a.integer("runs", 3);
    int threads = a.integer("client-threads", 1);
    List<Run> results = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      Run run = once(clients, fps, stateHz, warmup, seconds, threads);
      results.add(run);
      System.out.println(line("fanout run " + r, clients, fps, run));
    }
    Run median =
        new Run(
            Median.of(results, Run::framesPerSec),
            Median.of(results, Run::expectedPerSec),
            Median.of(results, Run::p50),
            Median.of(results, Run::p99),
            Median.of(results, Run::max),
            Median.of(results, Run::stateP99),
            Median.of(results, Run::statePerSec),
            Median.of(results, Run::drops),
            Median.of(results, Run::serverCores),
            Median.of(results, Run::serverWaitCores),
            Median.of(results, Run::benchCores),
            (int) Median.of(results, Run::closed));
    System.out.println(line("fanout median of " + runs, clients, fps, median));
  }

  private static Run once(int clients, int fps, int stateHz, int warmup, int seconds, int threads)
      throws Exception {
    try (DaemonProcess d = new DaemonProcess(stateHz, fps);
        RawClients c = new RawClients(threads)) {
      c.connect(
          URI.create("ws://127.0.0.1:" + d.port() + "/ws?topics=player,transport&fps=" + fps),
          clients);
      Thread.sleep(warmup * 1000L);
      double drops0 = d.droppedFrames("transport");
      double cpu0 = d.cpuSeconds();
      double wait0 = d.runQueueWaitSeconds();
      double self0 = DaemonProcess.cpuSeconds(ProcessHandle.current().pid());
      long t0 = System.nanoTime();
      c.reset();
      Thread.sleep(seconds * 1000L);
      long frames = c.frames.get();
      long state = c.stateEvents.get();
      double elapsed = (System.nanoTime() - t0) / 1e9;
      double cpu = d.cpuSeconds() - cpu0;
      double wait = d.runQueueWaitSeconds() - wait0;
      double self = DaemonProcess.cpuSeconds(ProcessHandle.current().pid()) - self0;
      double drops = d.droppedFrames("transport") - drops0;
      return new Run(
          frames / elapsed,
          (double) clients * fps,
          c.frameLatency.quantileMillis(0.50),
          c.frameLatency.quantileMillis(0.99),
          c.frameLatency.maxMillis(),
          c.stateLatency.quantileMillis(0.99),
          state / elapsed,
          drops,
          cpu / elapsed,
          wait / elapsed,
          self / elapsed,
          c.closedByServer.get());
    }
  }

  private static String line(String label, int clients, int fps, Run r) {
    return String.format(
        Locale.ROOT,
        "%s: N=%d fps=%d delivered %.0f frames/s (of %.0f, %.1f%%), frame latency p50 %.2f ms"
            + " p99 %.2f ms max %.2f ms, state %.0f events/s p99 %.2f ms, drops %.0f,"
            + " server cpu %.2f cores (waited for a cpu %.2f s/s), bench cpu %.2f cores, closed by server %d",
        label,
        clients,
        fps,
        r.framesPerSec(),
        r.expectedPerSec(),
        100 * r.framesPerSec() / r.expectedPerSec(),
        r.p50(),
        r.p99(),
        r.max(),
        r.statePerSec(),
        r.stateP99(),
        r.drops(),
        r.serverCores(),
        r.serverWaitCores(),
        r.benchCores(),
        r.closed());
  }
}
