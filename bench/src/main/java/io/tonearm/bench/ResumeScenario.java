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
import java.util.List;
import java.util.Locale;
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
    List<double[]> results = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      double[] q = once(missed, resumes);
      results.add(q);
      System.out.println(line("resume run " + r, missed, resumes, q));
    }
    double[] med = {
      Median.of(results, q -> q[0]), Median.of(results, q -> q[1]), Median.of(results, q -> q[2])
    };
    System.out.println(line("resume median of " + runs, missed, resumes, med));
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

  private static double[] once(int missed, int resumes) throws Exception {
    try (DaemonProcess d = new DaemonProcess(0, 60);
        TonearmClient client =
            TonearmClient.builder().baseUri(URI.create("http://127.0.0.1:" + d.port())).build()) {
      EventStreamOptions opts = EventStreamOptions.builder().topics("player").build();
      List<Long> nanos = new ArrayList<>();
      Replay first = new Replay(0, -1);
      EventStream s = client.events(opts, first);
      await(first.connected);
      for (int i = 0; i < resumes + 5; i++) {
        StreamPosition pos = s.position().orElseThrow();
        s.close();
        long seq = Http.seqOf(d.http().post("/api/v1/bench/publish?n=" + missed, "").body());
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
      return new double[] {
        Median.percentile(sorted, 0.50),
        Median.percentile(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6
      };
    }
  }

  private static void await(CountDownLatch l) throws InterruptedException {
    if (!l.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("timed out");
    }
  }

  private static String line(String label, int missed, int resumes, double[] q) {
    return String.format(
        Locale.ROOT,
        "%s: %d missed events replayed, %d resumes: open to last replayed event p50 %.2f ms"
            + " p99 %.2f ms max %.2f ms",
        label,
        missed,
        resumes,
        q[0],
        q[1],
        q[2]);
  }
}
