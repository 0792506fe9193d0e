package io.tonearm.bench;

import io.tonearm.client.EventListener;
import io.tonearm.client.EventStream;
import io.tonearm.client.EventStreamOptions;
import io.tonearm.client.StreamPosition;
import io.tonearm.client.TonearmClient;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An SDK client disconnects, misses E events (default 300), and resumes: the time from opening the
 * resumed stream (TCP connect, upgrade, hello) until the last missed event is delivered, checking
 * that the replay is complete, in order and recovered. R resumes per run; p50/p99/max per run, and
 * the same split by phase ({@code sdk_hello}: open to hello; {@code sdk_first_event}: hello to the
 * first replayed event; {@code sdk_replay}: first to last) with the daemon's and the bench JVM's
 * CPU time and run-queue wait per resume (/proc schedstat). With {@code --raw}, each SDK resume is
 * followed by the same resume through a bare Netty client ({@link RawResume}), whose phases also
 * split TCP connect and the upgrade ({@code raw_*}): the SDK's figure minus the bare one is what
 * the SDK adds. Prints the daemon's threads by CPU per resume and the three slowest SDK resumes
 * split.
 */
final class ResumeScenario {

  private ResumeScenario() {}

  static void run(Args a) throws Exception {
    int missed = a.integer("missed", 300);
    int resumes = a.integer("resumes", 200);
    int runs = a.integer("runs", 3);
    boolean raw = a.flag("raw");
    int warmup = a.integer("warmup", 5);
    Report report = new Report("resume").param("missed", missed).param("resumes", resumes);
    report.param("warmup", warmup);
    report.note(
        "time from opening the resumed SDK stream (TCP connect, upgrade, hello, replay) to the"
            + " last missed event, checked complete, in order and recovered; first "
            + warmup
            + " warm-up;"
            + " *_daemon_cpu/_wait, *_bench_cpu/_wait: mean ms per resume of CPU time and of"
            + " run-queue wait summed over each process's threads (/proc schedstat)"
            + (raw
                ? "; raw_*: the same resume through a bare Netty client, after each SDK one"
                : ""));
    for (int r = 1; r <= runs; r++) {
      report.run(once(a, report, missed, resumes, raw, warmup));
    }
    report.write(a);
  }

  /** Follows one stream: checks the replay and notes when seq {@code last} arrives. */
  /** A resumed (or first) stream's phases, checked by {@link ResumeCheck}. */
  private static final class Replay extends EventListener {
    final CountDownLatch connected = new CountDownLatch(1);
    final CountDownLatch complete = new CountDownLatch(1);
    volatile boolean recovered;
    volatile long helloNanos;
    volatile long firstNanos;
    volatile long doneNanos;
    volatile String error;
    private final ResumeCheck check;

    Replay(long first, long last, long count) {
      this.check = new ResumeCheck(first, last, count);
    }

    @Override
    public void onConnected(EventStream s, Hello h) {
      helloNanos = System.nanoTime();
      recovered = h.getRecovered();
      connected.countDown();
    }

    @Override
    public void onEvent(EventStream s, Envelope e) {
      boolean done = check.event(e.getSeq());
      error = check.error();
      if (firstNanos == 0) {
        firstNanos = System.nanoTime();
      }
      if (done) {
        doneNanos = System.nanoTime();
        complete.countDown();
      }
    }
  }

  private static Map<String, Double> once(
      Args a, Report report, int missed, int resumes, boolean raw, int warmup) throws Exception {
    try (DaemonTarget d = DaemonTarget.open(a, 0, 60);
        TonearmClient client = d.client().build();
        RawResume bare = raw ? new RawResume() : null;
        java.io.PrintWriter trace = traceWriter(a);
        Sched sched = new Sched(d)) {
      report.param("daemon", d.describe());
      report.param(
          "events",
          d.benchOnly()
              ? "BENCH-ONLY PUBLISHER POST /api/v1/bench/publish"
              : "volume commands, every state topic subscribed");
      EventStreamOptions opts = EventStreamOptions.builder().topics(d.stateTopics()).build();
      URI rawUri = d.ws("/ws?format=binary&topics=" + String.join(",", d.stateTopics()));
      Phases sdk = new Phases();
      Phases bareSplit = new Phases();
      Replay first = new Replay(0, -1, -1);
      EventStream s = client.events(opts, first);
      await(first.connected);
      Map<String, long[]> threads0 = null;
      Map<String, long[]> self0 = null;
      long self = ProcessHandle.current().pid();
      long sdkAllocated0 = 0;
      for (int i = 0; i < resumes + warmup; i++) {
        if (i == warmup && d.pid() >= 0) {
          threads0 = PlayCpuBench.threads(d.pid());
        }
        if (i == warmup) {
          self0 = PlayCpuBench.threads(self);
          sdkAllocated0 = sdkLoopAllocated();
        }
        StreamPosition pos = s.position().orElseThrow();
        s.close();
        long seq = d.publish(missed);
        Replay replay = new Replay(pos.seq() + 1, seq, d.benchOnly() ? missed : -1);
        long[] sched0 = sched.read();
        long t0 = System.nanoTime();
        s = client.events(opts.newBuilder().resumeFrom(pos).build(), replay);
        await(replay.complete);
        long[] sched1 = sched.read();
        if (!replay.recovered || replay.error != null) {
          throw new IllegalStateException(
              "resume not recovered in order: " + replay.recovered + " " + replay.error);
        }
        if (i >= warmup) { // the first ones warm up both JVMs
          sdk.addSdk(t0, replay.helloNanos, replay.firstNanos, replay.doneNanos);
          sdk.sched(sched0, sched1);
        }
        if (trace != null) {
          trace.printf(
              java.util.Locale.ROOT,
              "%d %d %d %d %d %d %d %d %d%n",
              i,
              t0,
              replay.helloNanos,
              replay.firstNanos,
              replay.doneNanos,
              sched1[0] - sched0[0],
              sched1[1] - sched0[1],
              sched1[2] - sched0[2],
              sched1[3] - sched0[3]);
          trace.flush(); // so that a profiler can be attached after the warm-up
        }
        if (bare != null) {
          // The same resume through a bare client, between two SDK ones: the same daemon, load
          // and history, so the difference is the SDK's.
          long from = seq;
          long to = d.publish(missed);
          long[] raw0 = sched.read();
          RawResume.Phases p =
              bare.resume(rawUri, d.token(), pos.epoch(), from, to, d.benchOnly() ? missed : -1);
          long[] raw1 = sched.read();
          if (!p.recovered || p.error != null) {
            throw new IllegalStateException("raw resume not recovered in order: " + p.error);
          }
          if (i >= warmup) {
            bareSplit.addRaw(p);
            bareSplit.sched(raw0, raw1);
          }
          // The SDK stream resumes from where it stopped: skip what the bare client took.
          s.close();
          pos = new StreamPosition(pos.epoch(), to);
          Replay catchUp = new Replay(to + 1, -1, -1);
          s = client.events(opts.newBuilder().resumeFrom(pos).build(), catchUp);
          await(catchUp.connected);
        }
      }
      if (threads0 != null) {
        printThreads("daemon", threads0, PlayCpuBench.threads(d.pid()), resumes);
      }
      printThreads("bench JVM (the SDK's)", self0, PlayCpuBench.threads(self), resumes);
      System.out.printf(
          java.util.Locale.ROOT,
          "  SDK event loop: %.1f KB allocated per resume (its close, connect and 300 events)%n",
          (sdkLoopAllocated() - sdkAllocated0) / 1024.0 / resumes);
      s.close();
      Map<String, Double> f = new LinkedHashMap<>();
      long[] total = Median.sorted(sdk.total);
      f.put("p50_ms", Median.percentile(total, 0.50));
      f.put("p99_ms", Median.percentile(total, 0.99));
      f.put("max_ms", total[total.length - 1] / 1e6);
      sdk.put(f, "sdk_");
      if (bare != null) {
        bareSplit.put(f, "raw_");
      }
      System.out.println(
          "  slowest SDK resumes (ms: to hello, hello to first event, first to last):");
      for (String line : sdk.slowest(3)) {
        System.out.println("    " + line);
      }
      return f;
    }
  }

  /**
   * Per-resume phase durations: open to TCP connected (raw only), to upgrade answered (raw only),
   * to hello, hello to first replayed event, first to last.
   */
  private static final class Phases {
    final List<Long> total = new ArrayList<>();
    final List<Long> connect = new ArrayList<>();
    final List<Long> upgrade = new ArrayList<>();
    final List<Long> hello = new ArrayList<>();
    final List<Long> firstEvent = new ArrayList<>();
    final List<Long> replay = new ArrayList<>();
    final List<long[]> sched = new ArrayList<>();

    /** The schedstat readings (daemon run, wait, bench run, wait) around the last resume. */
    void sched(long[] before, long[] after) {
      long[] d = new long[4];
      for (int i = 0; i < 4; i++) {
        d[i] = after[i] - before[i];
      }
      sched.add(d);
    }

    /** An SDK resume: its connect and upgrade are inside "hello" (the SDK shows neither). */
    void addSdk(long start, long helloAt, long firstAt, long lastAt) {
      total.add(lastAt - start);
      hello.add(helloAt - start);
      firstEvent.add(firstAt - helloAt);
      replay.add(lastAt - firstAt);
    }

    /** A bare resume: "hello" is from the upgrade's answer to the hello. */
    void addRaw(RawResume.Phases p) {
      total.add(p.last - p.start);
      connect.add(p.connected - p.start);
      upgrade.add(p.upgraded - p.connected);
      hello.add(p.hello - p.upgraded);
      firstEvent.add(p.first - p.hello);
      replay.add(p.last - p.first);
    }

    void put(Map<String, Double> f, String prefix) {
      put(f, prefix + "total", total);
      put(f, prefix + "connect", connect);
      put(f, prefix + "upgrade", upgrade);
      put(f, prefix + "hello", hello);
      put(f, prefix + "first_event", firstEvent);
      put(f, prefix + "replay", replay);
      if (!sched.isEmpty() && sched.get(0)[0] >= 0) {
        String[] names = {"daemon_cpu", "daemon_wait", "bench_cpu", "bench_wait"};
        for (int k = 0; k < 4; k++) {
          int kk = k;
          f.put(
              prefix + names[k] + "_mean_ms",
              sched.stream().mapToLong(x -> x[kk]).average().orElse(Double.NaN) / 1e6);
        }
      }
    }

    private static void put(Map<String, Double> f, String name, List<Long> nanos) {
      if (nanos.isEmpty()) {
        return;
      }
      long[] s = Median.sorted(nanos);
      f.put(name + "_p50_ms", Median.percentile(s, 0.50));
      f.put(name + "_p99_ms", Median.percentile(s, 0.99));
    }

    List<String> slowest(int n) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < total.size(); i++) {
        idx.add(i);
      }
      idx.sort((x, y) -> Long.compare(total.get(y), total.get(x)));
      List<String> out = new ArrayList<>();
      for (int k = 0; k < Math.min(n, idx.size()); k++) {
        int i = idx.get(k);
        out.add(
            String.format(
                "#%d total %.2f: %.2f + %.2f + %.2f; daemon %.2f / %.2f, bench %.2f / %.2f",
                i,
                total.get(i) / 1e6,
                hello.get(i) / 1e6,
                firstEvent.get(i) / 1e6,
                replay.get(i) / 1e6,
                sched.get(i)[0] / 1e6,
                sched.get(i)[1] / 1e6,
                sched.get(i)[2] / 1e6,
                sched.get(i)[3] / 1e6));
      }
      return out;
    }
  }

  /**
   * Daemon and bench JVM CPU time and run-queue wait so far, in ns (/proc schedstat, {@link
   * SchedReader}); the daemon's are -1 when its pid is unknown.
   */
  private static final class Sched implements AutoCloseable {
    private final SchedReader self = new SchedReader(ProcessHandle.current().pid());
    private final SchedReader daemon;

    Sched(DaemonTarget d) {
      this.daemon = d.pid() < 0 ? null : new SchedReader(d.pid());
    }

    long[] read() throws java.io.IOException {
      long[] s = self.read();
      long[] dm = daemon == null ? new long[] {-1, -1} : daemon.read();
      return new long[] {dm[0], dm[1], s[0], s[1]};
    }

    @Override
    public void close() throws java.io.IOException {
      self.close();
      if (daemon != null) {
        daemon.close();
      }
    }
  }

  /** A process's threads by CPU over the timed resumes (publishing included), per resume. */
  private static void printThreads(
      String who, Map<String, long[]> before, Map<String, long[]> after, int n) {
    System.out.println(
        "  "
            + who
            + " threads, ms of CPU per resume (the publishes and any bare resumes included;"
            + " 10 ms ticks):");
    after.entrySet().stream()
        .map(
            e ->
                Map.entry(
                    e.getKey(), e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0]))
        .filter(e -> e.getValue() > 0)
        .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
        .limit(12)
        .forEach(
            e ->
                System.out.printf(
                    java.util.Locale.ROOT,
                    "    %-24s %6.3f%n",
                    e.getKey(),
                    e.getValue() * 10.0 / n));
  }

  /**
   * With {@code --trace FILE}, one line per SDK resume appended to FILE: index, start, hello, first
   * and last event ({@code System.nanoTime()}, the clock of the JVMs' {@code -Xlog:...:tn}
   * decoration, so a resume can be laid beside both JVMs' GC, safepoint and compiler logs), then
   * the daemon's CPU and wait and the bench's CPU and wait in ns. Null without the option.
   */
  private static java.io.PrintWriter traceWriter(Args a) throws java.io.IOException {
    String f = a.string("trace", null);
    return f == null
        ? null
        : new java.io.PrintWriter(
            java.nio.file.Files.newBufferedWriter(
                java.nio.file.Path.of(f),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND));
  }

  /** Bytes allocated so far by the SDK's event loop threads ({@code tonearm-client-*}). */
  private static long sdkLoopAllocated() {
    var mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("tonearm-client")) {
        sum += mx.getThreadAllocatedBytes(t.getId());
      }
    }
    return sum;
  }

  private static void await(CountDownLatch l) throws InterruptedException {
    if (!l.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("timed out");
    }
  }
}
