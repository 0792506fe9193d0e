package io.tonearm.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * N bare WebSocket clients subscribed to a ~1 KB transport frame stream at F fps plus the player
 * state lane. Against the bench's own daemon the frames are synthetic and it publishes {@code
 * --state-hz} state events a second; against a running daemon ({@code --url}) they are its own
 * transport frames (which flow while it plays) and its own events. Reports delivered frames a
 * second, publish-to-receive latency, dropped frames (from /metrics) and the daemon's CPU in cores
 * (needs {@code --pid} with {@code --url}), over a measuring window after a warm-up.
 */
final class FanoutScenario {

  private FanoutScenario() {}

  static void run(Args a) throws Exception {
    int clients = a.integer("clients", 1000);
    int fps = a.integer("fps", 60);
    int stateHz = a.integer("state-hz", 5);
    int warmup = a.integer("warmup", 3);
    int seconds = a.integer("seconds", 10);
    int runs = a.integer("runs", 3);
    int threads = a.integer("client-threads", 1);
    Report report =
        new Report("fanout")
            .param("clients", clients)
            .param("fps", fps)
            .param("state_hz", stateHz)
            .param("warmup_s", warmup)
            .param("window_s", seconds)
            .param("client_threads", threads);
    report.note(
        "latency from Envelope.server_time_us to receipt (client and daemon share the clock);"
            + " cores = /proc/<pid>/stat utime+stime over the window; wait = run-queue wait of the"
            + " daemon's threads (schedstat), seconds per second");
    for (int r = 1; r <= runs; r++) {
      report.run(once(a, report, clients, fps, stateHz, warmup, seconds, threads));
    }
    report.write(a);
  }

  private static Map<String, Double> once(
      Args a,
      Report report,
      int clients,
      int fps,
      int stateHz,
      int warmup,
      int seconds,
      int threads)
      throws Exception {
    try (DaemonTarget d = DaemonTarget.open(a, stateHz, fps);
        RawClients c = new RawClients(threads)) {
      report.param("daemon", d.describe());
      c.connect(d.ws("/ws?topics=player,transport&fps=" + fps), clients, d.token());
      Thread.sleep(warmup * 1000L);
      double drops0 = d.droppedFrames("transport");
      double cpu0 = d.cpuSeconds();
      double sys0 = d.systemCpuSeconds();
      double wait0 = d.runQueueWaitSeconds();
      double self0 = ProcStat.cpuSeconds(ProcessHandle.current().pid());
      long t0 = System.nanoTime();
      c.reset();
      Thread.sleep(seconds * 1000L);
      long frames = c.frames.get();
      long state = c.stateEvents.get();
      double elapsed = (System.nanoTime() - t0) / 1e9;
      double cpu = d.cpuSeconds() - cpu0;
      double sys = d.systemCpuSeconds() - sys0;
      double wait = d.runQueueWaitSeconds() - wait0;
      double self = ProcStat.cpuSeconds(ProcessHandle.current().pid()) - self0;
      double drops = d.droppedFrames("transport") - drops0;
      Map<String, Double> f = new LinkedHashMap<>();
      f.put("frames_per_s", frames / elapsed);
      f.put("frames_expected_per_s", (double) clients * fps);
      f.put("delivered_pct", 100 * frames / elapsed / ((double) clients * fps));
      f.put("frame_p50_ms", c.frameLatency.quantileMillis(0.50));
      f.put("frame_p99_ms", c.frameLatency.quantileMillis(0.99));
      f.put("frame_max_ms", c.frameLatency.maxMillis());
      f.put("state_events_per_s", state / elapsed);
      f.put("state_p99_ms", c.stateLatency.quantileMillis(0.99));
      f.put("frames_dropped", drops);
      f.put("daemon_cores", cpu / elapsed);
      f.put("daemon_cpu_wait_s_per_s", wait / elapsed);
      // CPU per delivered frame (state events included in the CPU, not in the count), and the
      // kernel's part of it: on loopback the kernel's part includes the receiving clients' TCP
      // input.
      f.put("daemon_us_per_frame", frames == 0 ? Double.NaN : cpu * 1e6 / frames);
      f.put("daemon_kernel_us_per_frame", frames == 0 ? Double.NaN : sys * 1e6 / frames);
      f.put("bench_cores", self / elapsed);
      f.put("closed_by_server", (double) c.closedByServer.get());
      return f;
    }
  }
}
