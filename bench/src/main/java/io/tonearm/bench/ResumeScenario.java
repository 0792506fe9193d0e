package io.tonearm.bench;

import io.tonearm.client.EventListener;
import io.tonearm.client.EventStream;
import io.tonearm.client.EventStreamOptions;
import io.tonearm.client.StreamPosition;
import io.tonearm.client.TonearmClient;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An SDK client disconnects, misses E events (default 300), and resumes: the time from opening the
 * resumed stream (TCP connect, upgrade, hello) until the last missed event is delivered, checking
 * that the replay is complete, in order and recovered. R resumes per run; p50/p99/max per run.
 */
final class ResumeScenario {

  private ResumeScenario() {}

  static void run(Args a) throws Exception {
    int missed = a.integer("missed", 300);
    int resumes = a.integer("resumes", 200);
    int runs = a.integer("runs", 3);
    Report report = new Report("resume").param("missed", missed).param("resumes", resumes);
    report.note(
        "time from opening the resumed SDK stream (TCP connect, upgrade, hello, replay) to the"
            + " last missed event, checked complete, in order and recovered; first 5 warm-up");
    for (int r = 1; r <= runs; r++) {
      report.run(once(a, report, missed, resumes));
    }
    report.write(a);
  }

  /** Follows one stream: checks the replay and notes when seq {@code last} arrives. */
  private static final class Replay extends EventListener {
    final CountDownLatch connected = new CountDownLatch(1);
    final CountDownLatch complete = new CountDownLatch(1);
    volatile boolean recovered;
    volatile long doneNanos;
    volatile String error;
    private final long last;
    private long expected;

    Replay(long first, long last) {
      this.expected = first;
      this.last = last;
    }

    @Override
    public void onConnected(EventStream s, Hello h) {
      recovered = h.getRecovered();
      connected.countDown();
    }

    @Override
    public void onEvent(EventStream s, Envelope e) {
      if (e.getSeq() != expected && error == null) {
        error = "expected seq " + expected + ", got " + e.getSeq();
      }
      expected = e.getSeq() + 1;
      if (e.getSeq() == last) {
        doneNanos = System.nanoTime();
        complete.countDown();
      }
    }
  }

  private static Map<String, Double> once(Args a, Report report, int missed, int resumes)
      throws Exception {
    try (DaemonTarget d = DaemonTarget.open(a, 0, 60);
        TonearmClient client = d.client().build()) {
      report.param("daemon", d.describe());
      report.param(
          "events",
          d.benchOnly()
              ? "BENCH-ONLY PUBLISHER POST /api/v1/bench/publish"
              : "volume commands, every state topic subscribed");
      EventStreamOptions opts = EventStreamOptions.builder().topics(d.stateTopics()).build();
      List<Long> nanos = new ArrayList<>();
      Replay first = new Replay(0, -1);
      EventStream s = client.events(opts, first);
      await(first.connected);
      for (int i = 0; i < resumes + 5; i++) {
        StreamPosition pos = s.position().orElseThrow();
        s.close();
        long seq = d.publish(missed);
        Replay replay = new Replay(pos.seq() + 1, seq);
        long t0 = System.nanoTime();
        s = client.events(opts.newBuilder().resumeFrom(pos).build(), replay);
        await(replay.complete);
        if (!replay.recovered || replay.error != null) {
          throw new IllegalStateException(
              "resume not recovered in order: " + replay.recovered + " " + replay.error);
        }
        if (i >= 5) { // the first five warm up both JVMs
          nanos.add(replay.doneNanos - t0);
        }
      }
      s.close();
      long[] sorted = Median.sorted(nanos);
      Map<String, Double> f = new LinkedHashMap<>();
      f.put("p50_ms", Median.percentile(sorted, 0.50));
      f.put("p99_ms", Median.percentile(sorted, 0.99));
      f.put("max_ms", sorted[sorted.length - 1] / 1e6);
      return f;
    }
  }

  private static void await(CountDownLatch l) throws InterruptedException {
    if (!l.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("timed out");
    }
  }
}
