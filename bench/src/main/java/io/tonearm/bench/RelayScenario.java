package io.tonearm.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The origin, Redis and two relays on this machine, each in its own process (the origin is the
 * bench daemon with {@code --redis}, the relays {@code Main relay}, Redis Debian's {@code
 * redis-server}). Two measurements per run:
 *
 * <ol>
 *   <li>latency: {@code --listeners} sockets on the player topic, half on each relay; {@code
 *       --commands} bench-only publishes at the origin one after another, each waited for at every
 *       listener; the figure is the time from the event's stamp at the origin ({@code
 *       server_time_us}, taken while the command is applied) to its arrival at each listener;
 *   <li>frames: {@code --viewers} sockets watching one {@code --fps} transport view, half on each
 *       relay, for {@code --seconds}: frames a second delivered, and the CPU of each process
 *       (origin, Redis, each relay) from /proc, in cores ({@code --viewers 0}: no frames phase).
 *       Besides frames a second against viewers x fps, the frames per viewer and second at each
 *       step of the path: published at the origin, received by a relay, offered to its sessions
 *       (written plus dropped), written, dropped (latest wins), and read by the bench, so a
 *       shortfall names its step.
 * </ol>
 *
 * <p>The viewers connect after the latency phase, so its figure is the listeners' alone; with
 * {@code --commands-with-viewers} they connect before it and watch throughout, so the commands
 * compete with 30 fps to every viewer (and frames a second during the commands are reported).
 *
 * <p>{@code --relay-jfr DIR}: relay A runs with a flight recording (JFR's profile settings),
 * written to {@code DIR/relay-runN.jfr} when it exits. {@code --relay-jvm "OPTIONS"}: JVM options
 * for both relays (e.g. {@code -Dio.netty.eventLoopThreads=2}). {@code --relay-io io_uring|epoll}:
 * the relays run with {@code --io-uring on|off} (default: neither flag, the relay's own default);
 * {@code --client-io io_uring}: the bench's own sockets (listeners and viewers) read through
 * io_uring (default epoll).
 *
 * <p>{@code --c-listeners PATH}: the listeners are bare C clients in a process of their own ({@code
 * bench/relay-listeners.c} built at PATH, {@link CListeners}), not the bench's Java clients: the
 * figure without the Java clients' reading cost, with each latency split at the kernel's receive
 * time ({@code command_to_kernel_receive_*}: origin, Redis, relay and its send; {@code
 * kernel_receive_to_read_*}: the client's wake-up), and that process's CPU per command.
 *
 * <p>{@code --warmup N} commands (default 1,000) before the measured ones: the relays' JIT is done
 * by then. Each run prints where each process's CPU went during the measured commands, by thread
 * group, in ms per command ({@link ThreadCpu}).
 *
 * <p>{@code --ports P}: the origin listens on P, Redis on P+1, the relays on P+2 and P+3 (default:
 * free ports), for a machine where each user of the loopback keeps to a range of its own.
 *
 * <p>{@code --relay-cpus LIST --other-cpus LIST} (taskset's CPU lists, e.g. {@code 0} and {@code
 * 1}): the relays run on the first CPUs only, and the bench (its listeners and viewers, or the C
 * listeners' process), the origin and Redis on the second, as relays would have cores of their own
 * on machines of their own. Without them every process shares every core, the default.
 */
final class RelayScenario {

  private RelayScenario() {}

  static void run(Args a) throws Exception {
    int listeners = a.integer("listeners", 1000);
    int commands = a.integer("commands", 200);
    int viewers = a.integer("viewers", 5000);
    int fps = a.integer("fps", 30);
    int seconds = a.integer("seconds", 10);
    int runs = a.integer("runs", 3);
    int threads = a.integer("client-threads", 1);
    boolean together = a.flag("commands-with-viewers");
    String clientIo = a.string("client-io", "epoll");
    if (!clientIo.equals("epoll") && !clientIo.equals("io_uring")) {
      throw new IllegalArgumentException("--client-io is epoll or io_uring, not " + clientIo);
    }
    boolean clientUring = clientIo.equals("io_uring");
    // "default": no flag, the relay's own default transport.
    String relayIo = a.string("relay-io", "default");
    List<String> relayFlags =
        switch (relayIo) {
          case "default" -> List.<String>of();
          case "epoll" -> List.of("--io-uring", "off");
          case "io_uring" -> List.of("--io-uring", "on");
          default ->
              throw new IllegalArgumentException(
                  "--relay-io is default, epoll or io_uring, not " + relayIo);
        };
    // Steady state: with 20 commands of warm-up the JIT compilers took a third of the relays' CPU
    // in the measured window (5-6 ms of 14-15 per relay and command); after 1,000, under 1 ms.
    int warmup = a.integer("warmup", 1000);
    int ports = a.integer("ports", 0);
    String jfr = a.string("relay-jfr", null);
    // The listeners as bare C clients in a process of their own (bench/relay-listeners.c, built).
    String cListeners = a.string("c-listeners", null);
    List<String> relayJvm =
        a.string("relay-jvm", "").isBlank()
            ? List.of()
            : List.of(a.string("relay-jvm", "").trim().split("\\s+"));
    String relayCpus = a.string("relay-cpus", null);
    String otherCpus = a.string("other-cpus", null);
    if ((relayCpus == null) != (otherCpus == null)) {
      throw new IllegalArgumentException("--relay-cpus and --other-cpus go together");
    }
    List<String> launcher = List.of();
    if (relayCpus != null) {
      // Every thread of this JVM now, and those it starts later (they inherit the mask), and the
      // processes it starts without a launcher of their own: the origin, Redis, the C listeners.
      taskset("-a", "-p", "-c", otherCpus, Long.toString(ProcessHandle.current().pid()));
      launcher = List.of("taskset", "-c", relayCpus);
    }
    Report report =
        new Report("relay")
            .param("listeners", listeners)
            .param("commands", commands)
            .param("viewers", viewers)
            .param("fps", fps)
            .param("relays", 2)
            .param("commands_with_viewers", together ? 1 : 0)
            .param("warmup_commands", warmup)
            .param("client_io_uring", clientUring ? 1 : 0)
            .param("c_listeners", cListeners == null ? 0 : 1)
            .param("relay_io", relayIo)
            .param("relay_cpus", relayCpus == null ? "all" : relayCpus)
            .param("other_cpus", otherCpus == null ? "all" : otherCpus);
    report.note(
        "latency: origin server_time_us of each event (stamped as the bench-only publish applies it)"
            + " to its arrival at each listener of a relay; frames: one transport view at --fps");
    for (int r = 1; r <= runs; r++) {
      List<String> jvm = new ArrayList<>(relayJvm);
      if (jfr != null) {
        jvm.add(
            "-XX:StartFlightRecording=settings=profile,filename="
                + Path.of(jfr).toAbsolutePath().resolve("relay-run" + r + ".jfr"));
      }
      java.util.Map<String, Double> f =
          once(
              listeners,
              commands,
              warmup,
              viewers,
              fps,
              seconds,
              threads,
              together,
              clientUring,
              jvm,
              relayFlags,
              launcher,
              ports,
              cListeners);
      report.run(f);
      System.out.println("relay run " + r + ": " + f);
    }
    report.write(a);
  }

  private static java.util.Map<String, Double> once(
      int listeners,
      int commands,
      int warmup,
      int viewers,
      int fps,
      int seconds,
      int threads,
      boolean together,
      boolean clientUring,
      List<String> relayJvm,
      List<String> relayFlags,
      List<String> launcher,
      int ports,
      String cListeners)
      throws Exception {
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    try (RedisProcess redis = new RedisProcess(ports == 0 ? 0 : ports + 1);
        DaemonProcess origin =
            DaemonProcess.onPort(ports, 0, fps, List.of("--redis", redis.url()));
        // With --relay-jfr DIR, relay A records a profile (dumped when it exits).
        DaemonProcess relayA =
            DaemonProcess.relay(
                ports == 0 ? 0 : ports + 2,
                redis.url(),
                origin.port(),
                relayJvm,
                relayFlags,
                launcher);
        DaemonProcess relayB =
            DaemonProcess.relay(
                ports == 0 ? 0 : ports + 3,
                redis.url(),
                origin.port(),
                relayJvm.stream().filter(o -> !o.startsWith("-XX:StartFlight")).toList(),
                relayFlags,
                launcher)) {
      int[] relays = {relayA.port(), relayB.port()};
      try (RawClients v = new RawClients(threads, "bench-client", clientUring)) {
        if (together && viewers > 0) {
          watch(v, relays, viewers, fps);
        }
        latency(
            out,
            origin,
            relayA,
            relayB,
            redis,
            relays,
            listeners,
            commands,
            warmup,
            threads,
            clientUring,
            v,
            cListeners);
        if (viewers > 0) {
          if (!together) {
            watch(v, relays, viewers, fps);
          }
          frames(out, origin, relayA, relayB, redis, v, viewers, fps, seconds);
        }
      }
    }
    return out;
  }

  /** Runs {@code taskset ARGS} (util-linux) and fails when it does. */
  private static void taskset(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("taskset"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  /** Connects the viewers, half on each relay, and lets the frames start. */
  private static void watch(RawClients v, int[] relays, int viewers, int fps)
      throws InterruptedException {
    for (int port : relays) {
      v.connect(
          URI.create("ws://127.0.0.1:" + port + "/ws?topics=transport&fps=" + fps), viewers / 2);
    }
    Thread.sleep(3000);
  }

  /**
   * The latency phase: listeners half on each relay, one publish at a time, each waited for at
   * every listener. Besides every listener's latency: per command, the first and the last
   * listener's, and the relays' lag when the event was in their history (each relay's /health
   * {@code relay.lag_ms} after the command: the origin's stamp to the relay's append, i.e. the
   * origin's publisher, Redis and the relay's reader), so the path splits into stamp -> relay
   * history -> first socket -> last socket.
   */
  private static void latency(
      java.util.Map<String, Double> out,
      DaemonProcess origin,
      DaemonProcess relayA,
      DaemonProcess relayB,
      RedisProcess redis,
      int[] relays,
      int listeners,
      int commands,
      int warmup,
      int threads,
      boolean clientUring,
      RawClients viewers,
      String cListeners)
      throws Exception {
    LatencyHistogram first = new LatencyHistogram();
    LatencyHistogram last = new LatencyHistogram();
    LatencyHistogram appended = new LatencyHistogram();
    // With --c-listeners the listeners are C clients in their own process (the Java ones are not
    // connected); its CPU is counted as "c listeners".
    try (RawClients c = new RawClients(threads, "listeners", clientUring);
        CListeners cl =
            cListeners == null
                ? null
                : new CListeners(cListeners, relays, listeners, "/ws?topics=player")) {
      if (cl == null) {
        for (int port : relays) {
          c.connect(URI.create("ws://127.0.0.1:" + port + "/ws?topics=player"), listeners / 2);
        }
      }
      int n = (listeners / 2) * 2;
      long[] pids = {origin.pid(), redis.pid(), relayA.pid(), relayB.pid()};
      double wait0 = 0;
      long frames0 = 0;
      // CPU per command of: the relays, the origin, Redis, and this process (the clients).
      long[] cpuPids = {
        relayA.pid(),
        relayB.pid(),
        origin.pid(),
        redis.pid(),
        cl == null ? ProcessHandle.current().pid() : cl.pid()
      };
      double[] cpu0 = new double[cpuPids.length];
      double kernel0 = 0;
      double readers0 = 0;
      long t0 = 0;
      String[] cpuNames = {
        "relay A", "relay B", "origin", "redis", cl == null ? "bench" : "c listeners"
      };
      ThreadCpu[] threadCpu = new ThreadCpu[cpuPids.length];
      for (int i = 0; i < commands + warmup; i++) {
        if (i == warmup) {
          c.reset(); // the first ones warm up every JVM (not measured)
          if (cl != null) {
            cl.reset();
          }
          first.reset();
          last.reset();
          appended.reset();
          wait0 = runQueueWait(pids);
          frames0 = viewers.frames.get();
          t0 = System.nanoTime();
          for (int k = 0; k < cpu0.length; k++) {
            cpu0[k] = ProcStat.cpuSeconds(cpuPids[k]);
            threadCpu[k] = new ThreadCpu(cpuPids[k]);
          }
          kernel0 =
              ProcStat.systemCpuSeconds(relayA.pid()) + ProcStat.systemCpuSeconds(relayB.pid());
          readers0 = ProcStat.threadCpuSeconds(ProcessHandle.current().pid(), "listeners");
        }
        long before = c.stateEvents.get();
        c.startCommand();
        if (cl != null) {
          cl.startCommand();
        }
        var reply = origin.http().post("/api/v1/bench/publish?n=1", "");
        if (reply.statusCode() != 200) {
          throw new IllegalStateException("publish answered " + reply.statusCode());
        }
        long[] firstLast = cl == null ? null : cl.awaitCommand(TimeUnit.SECONDS.toNanos(10));
        if (cl == null
            ? !c.awaitStateEvents(before + n, TimeUnit.SECONDS.toNanos(10))
            : firstLast == null) {
          // Say why: listeners the relays closed (and with which code) never get it; the
          // relays' /health says whether they lost Redis or restarted a history.
          throw new IllegalStateException(
              "an event did not reach every listener within 10 s ("
                  + (cl == null ? (before + n - c.stateEvents.get()) + " of " + n : "C listeners")
                  + " missing); listeners closed by the relays, by close code: "
                  + c.closeCodes
                  + "; relay A /health "
                  + relayA.http().get("/health").body()
                  + "; relay B /health "
                  + relayB.http().get("/health").body());
        }
        first.record(cl == null ? c.firstState.get() : firstLast[0]);
        last.record(cl == null ? c.lastState.get() : firstLast[1]);
        appended.record(lagMicros(relayA));
        appended.record(lagMicros(relayB));
      }
      double elapsed = (System.nanoTime() - t0) / 1e9;
      // Where each process's CPU went, by thread group, in ms per command (k = kernel part).
      for (int k = 0; k < cpuPids.length; k++) {
        System.out.println("  cpu ms/command " + threadCpu[k].describe(cpuNames[k], commands, 0.1));
      }
      // Read before the C listeners' process ends (finish).
      double[] cpu = new double[cpuPids.length];
      for (int k = 0; k < cpu.length; k++) {
        cpu[k] = (ProcStat.cpuSeconds(cpuPids[k]) - cpu0[k]) / commands * 1e3;
      }
      if (cl == null) {
        out.put("command_to_relay_client_p50_ms", c.stateLatency.quantileMillis(0.50));
        out.put("command_to_relay_client_p99_ms", c.stateLatency.quantileMillis(0.99));
        out.put("command_to_relay_client_max_ms", c.stateLatency.maxMillis());
      } else {
        // The C clients' figures, and their split at the kernel's receive time: daemons (stamp ->
        // segment received: origin, Redis, relay, its send) and client (received -> read).
        java.util.Map<String, Double> s = cl.finish();
        out.put("command_to_relay_client_p50_ms", s.get("p50_ms"));
        out.put("command_to_relay_client_p99_ms", s.get("p99_ms"));
        out.put("command_to_relay_client_max_ms", s.get("max_ms"));
        out.put("command_to_kernel_receive_p50_ms", s.get("daemons_p50_ms"));
        out.put("command_to_kernel_receive_p99_ms", s.get("daemons_p99_ms"));
        out.put("kernel_receive_to_read_p50_ms", s.get("client_p50_ms"));
        out.put("kernel_receive_to_read_p99_ms", s.get("client_p99_ms"));
        out.put("c_listener_events", s.get("events"));
      }
      out.put("command_to_relay_history_p50_ms", appended.quantileMillis(0.50));
      out.put("command_to_relay_history_p99_ms", appended.quantileMillis(0.99));
      out.put("command_to_first_listener_p50_ms", first.quantileMillis(0.50));
      out.put("command_to_first_listener_p99_ms", first.quantileMillis(0.99));
      out.put("command_to_last_listener_p50_ms", last.quantileMillis(0.50));
      out.put("command_to_last_listener_p99_ms", last.quantileMillis(0.99));
      out.put("relays_cpu_ms_per_command", cpu[0] + cpu[1]);
      out.put(
          "relays_kernel_ms_per_command",
          (ProcStat.systemCpuSeconds(relayA.pid())
                  + ProcStat.systemCpuSeconds(relayB.pid())
                  - kernel0)
              / commands
              * 1e3);
      // The listeners' own reading (their event loop threads), part of the bench process's CPU.
      out.put(
          "listener_threads_cpu_ms_per_command",
          (ProcStat.threadCpuSeconds(ProcessHandle.current().pid(), "listeners") - readers0)
              / commands
              * 1e3);
      out.put("origin_cpu_ms_per_command", cpu[2]);
      out.put("redis_cpu_ms_per_command", cpu[3]);
      // The bench process's CPU, or with --c-listeners the C listeners' process's.
      out.put(
          cl == null ? "bench_clients_cpu_ms_per_command" : "c_listeners_cpu_ms_per_command",
          cpu[4]);
      // Time the four processes' threads were runnable but had no CPU, per command: what a
      // loaded machine adds to the path (origin, Redis, relay, each a wake-up away).
      out.put("runqueue_wait_ms_per_command", (runQueueWait(pids) - wait0) / commands * 1e3);
      if (viewers.frames.get() > frames0) {
        out.put("frames_per_s_during_commands", (viewers.frames.get() - frames0) / elapsed);
      }
    }
  }

  /** A relay's {@code relay.lag_ms} from its /health, in µs. */
  private static long lagMicros(DaemonProcess relay) throws Exception {
    String body = relay.http().get("/health").body();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"lag_ms\"\\s*:\\s*([0-9.]+)").matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no relay.lag_ms in " + body);
    }
    return Math.round(Double.parseDouble(m.group(1)) * 1000);
  }

  /** The frames phase: frames a second delivered to the viewers and each process's CPU. */
  private static void frames(
      java.util.Map<String, Double> out,
      DaemonProcess origin,
      DaemonProcess relayA,
      DaemonProcess relayB,
      RedisProcess redis,
      RawClients v,
      int viewers,
      int fps,
      int seconds)
      throws Exception {
    double o0 = origin.cpuSeconds();
    double a0 = relayA.cpuSeconds();
    double b0 = relayB.cpuSeconds();
    double sys0 = ProcStat.systemCpuSeconds(relayA.pid()) + ProcStat.systemCpuSeconds(relayB.pid());
    double r0 = ProcStat.cpuSeconds(redis.pid());
    long self = ProcessHandle.current().pid();
    double bench0 = ProcStat.cpuSeconds(self);
    double viewers0 = ProcStat.threadCpuSeconds(self, "bench-client");
    // Where frames go missing: the origin's publishes, each relay's arrivals from Redis, and what
    // the relays wrote to their viewers or dropped (latest wins) (Frames.read at both edges).
    Frames before = Frames.read(origin, relayA, relayB);
    long t0 = System.nanoTime();
    v.reset();
    Thread.sleep(seconds * 1000L);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long got = v.frames.get();
    Frames after = Frames.read(origin, relayA, relayB);
    double delivered = got / elapsed;
    int watching = (viewers / 2) * 2;
    out.put("frames_per_s_delivered", delivered);
    out.put("frames_per_s_expected", (double) watching * fps);
    // Per viewer and second, along the path: the origin's frames published, each relay's frames
    // received from Redis (mean of the two), the frames its sessions were offered (written plus
    // dropped, over its viewers: what its stream rendered), written, dropped, and what the bench
    // read. The gaps name where the rest of fps went. Each counter is taken over the time between
    // its own two readings (the HTTP calls take a while at load).
    double originSeconds = (after.originNanos - before.originNanos) / 1e9;
    double relaySeconds = (after.relayNanos - before.relayNanos) / 1e9;
    out.put("origin_frames_published_per_s", (after.published - before.published) / originSeconds);
    out.put("relay_frames_received_per_s", (after.received - before.received) / 2 / relaySeconds);
    double sent = (after.sent - before.sent) / watching / relaySeconds;
    double dropped = (after.dropped - before.dropped) / watching / relaySeconds;
    out.put("relay_frames_offered_per_viewer_s", sent + dropped);
    out.put("relay_frames_written_per_viewer_s", sent);
    out.put("relay_frames_dropped_per_viewer_s", dropped);
    out.put("frames_read_per_viewer_s", delivered / watching);
    out.put("origin_cores", (origin.cpuSeconds() - o0) / elapsed);
    out.put("redis_cores", (ProcStat.cpuSeconds(redis.pid()) - r0) / elapsed);
    double relayCores = ((relayA.cpuSeconds() - a0) + (relayB.cpuSeconds() - b0)) / elapsed;
    out.put("relay_cores_both", relayCores);
    // Per relay: cores per frame delivered a second, the basis of the paper figure.
    out.put("relay_core_us_per_frame", relayCores / delivered * 1e6);
    // The kernel's share (stime): on loopback the sender's write also runs the receiver's TCP
    // input, so this is an upper bound of what a relay's NIC-backed sends would cost.
    double sys =
        (ProcStat.systemCpuSeconds(relayA.pid()) + ProcStat.systemCpuSeconds(relayB.pid()) - sys0)
            / elapsed;
    out.put("relay_kernel_us_per_frame", sys / delivered * 1e6);
    out.put("relay_jvm_us_per_frame", (relayCores - sys) / delivered * 1e6);
    // The viewers' side on this same machine: the bench process and its viewers' read loops (a
    // loop near 1 core means the clients, not the relays, set the frames a second).
    out.put("bench_cores", (ProcStat.cpuSeconds(self) - bench0) / elapsed);
    out.put(
        "viewer_threads_cores",
        (ProcStat.threadCpuSeconds(self, "bench-client") - viewers0) / elapsed);
    out.put("closed_by_server", (double) v.closedByServer.get());
  }

  /**
   * Frame counters of the origin ({@code /health} {@code publishing.frames_published}) and of both
   * relays summed ({@code /health} {@code relay.frames_received}, {@code /metrics} transport frames
   * written and dropped).
   */
  private record Frames(
      double published,
      long originNanos,
      double received,
      double sent,
      double dropped,
      long relayNanos) {
    static Frames read(DaemonProcess origin, DaemonProcess... relays) throws Exception {
      long start = System.nanoTime();
      double published =
          number(origin.http().get("/health").body(), "\"frames_published\"\\s*:\\s*([0-9.]+)");
      long originNanos = (start + System.nanoTime()) / 2;
      start = System.nanoTime();
      double received = 0;
      double sent = 0;
      double dropped = 0;
      for (DaemonProcess r : relays) {
        received += number(r.http().get("/health").body(), "\"frames_received\"\\s*:\\s*([0-9.]+)");
        String m = r.http().get("/metrics").body();
        sent +=
            number(
                m,
                "(?m)^tonearm_ws_messages_sent_total\\{topic=\"transport\"[^}]*\\} ([0-9.Ee+]+)");
        dropped +=
            number(
                m,
                "(?m)^tonearm_ws_frames_dropped_total\\{topic=\"transport\"[^}]*\\} ([0-9.Ee+]+)");
      }
      return new Frames(
          published, originNanos, received, sent, dropped, (start + System.nanoTime()) / 2);
    }

    /** The first group of {@code regex} in {@code body} as a number, 0 when absent. */
    private static double number(String body, String regex) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(body);
      return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
  }

  /** Run-queue wait of the processes' threads, summed, in seconds. */
  private static double runQueueWait(long[] pids) throws IOException {
    double sum = 0;
    for (long pid : pids) {
      sum += ProcStat.runQueueWaitSeconds(pid);
    }
    return sum;
  }

  /** Debian's redis-server on a loopback port (0: a free one), without persistence. */
  static final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    RedisProcess() throws IOException, InterruptedException {
      this(0);
    }

    RedisProcess(int fixedPort) throws IOException, InterruptedException {
      if (fixedPort != 0) {
        port = fixedPort;
      } else {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
          port = s.getLocalPort();
        }
      }
      Path bin = Path.of("/usr/bin/redis-server");
      if (!Files.isExecutable(bin)) {
        throw new IOException("redis-server is not installed (apt-get install redis-server)");
      }
      process =
          new ProcessBuilder(
                  bin.toString(),
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
          return;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(20);
        }
      }
    }

    String url() {
      return "redis://127.0.0.1:" + port;
    }

    long pid() {
      return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  static String describe(java.util.Map<String, Double> f) {
    StringBuilder sb = new StringBuilder();
    f.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%s=%.3f ", k, v)));
    return sb.toString();
  }

  static List<String> none() {
    return new ArrayList<>();
  }
}
