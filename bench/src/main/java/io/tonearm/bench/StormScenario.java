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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reconnect storm: N SDK streams on {@code player} are connected, all closed, E events published
 * while they are away, then all N reopened at the same moment with {@code resumeFrom} their saved
 * position. Measures the time until every stream has its hello ("live") and until every stream has
 * every missed event, and counts events lost (a gap or a duplicate in any stream) and streams that
 * got a snapshot instead of the replay.
 */
final class StormScenario {

  private StormScenario() {}

  /** One stream's view of the storm. */
  private static final class Client extends EventListener {
    final CountDownLatch live;
    final CountDownLatch caughtUp;
    final AtomicLong lost;
    final AtomicInteger snapshots;
    volatile long expected;
    volatile long last;
    volatile StreamPosition position;

    Client(CountDownLatch live, CountDownLatch caughtUp, AtomicLong lost, AtomicInteger snapshots) {
      this.live = live;
      this.caughtUp = caughtUp;
      this.lost = lost;
      this.snapshots = snapshots;
    }

    @Override
    public void onConnected(EventStream s, Hello h) {
      if (position != null && !h.getRecovered()) {
        snapshots.incrementAndGet();
      }
      live.countDown();
    }

    @Override
    public void onEvent(EventStream s, Envelope e) {
      if (expected > 0) {
        if (e.getSeq() != expected) {
          lost.addAndGet(Math.abs(e.getSeq() - expected));
        }
        expected = e.getSeq() + 1;
        if (e.getSeq() == last) {
          caughtUp.countDown();
        }
      }
    }
  }

  static void run(Args a) throws Exception {
    int clients = a.integer("clients", 5000);
    int missed = a.integer("missed", 100);
    int runs = a.integer("runs", 3);
    int threads = a.integer("client-threads", 2);
    Report report =
        new Report("storm")
            .param("clients", clients)
            .param("missed", missed)
            .param("client_threads", threads);
    for (int r = 0; r < runs; r++) {
      report.run(once(a, report, clients, missed, threads));
    }
    report.write(a);
  }

  private static Map<String, Double> once(Args a, Report report, int n, int missed, int threads)
      throws Exception {
    try (DaemonTarget d = DaemonTarget.open(a, 0, 60);
        TonearmClient client = d.client().eventLoopThreads(threads).build()) {
      report.param("daemon", d.describe());
      report.param(
          "events",
          d.benchOnly()
              ? "BENCH-ONLY PUBLISHER POST /api/v1/bench/publish"
              : "volume commands, every state topic subscribed");
      EventStreamOptions opts = EventStreamOptions.builder().topics(d.stateTopics()).build();
      AtomicLong lost = new AtomicLong();
      AtomicInteger snapshots = new AtomicInteger();
      CountDownLatch firstLive = new CountDownLatch(n);
      List<Client> all = new ArrayList<>();
      List<EventStream> streams = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Client c = new Client(firstLive, new CountDownLatch(0), lost, snapshots);
        all.add(c);
        streams.add(client.events(opts, c));
      }
      await(firstLive, "first connections");
      for (int i = 0; i < n; i++) {
        all.get(i).position = streams.get(i).position().orElseThrow();
        streams.get(i).close();
      }
      long last = d.publish(missed);
      CountDownLatch live = new CountDownLatch(n);
      CountDownLatch caughtUp = new CountDownLatch(n);
      List<Client> again = new ArrayList<>();
      for (Client old : all) {
        Client c = new Client(live, caughtUp, lost, snapshots);
        c.position = old.position;
        c.expected = old.position.seq() + 1;
        c.last = last;
        again.add(c);
      }
      double cpu0 = d.cpuSeconds();
      long t0 = System.nanoTime();
      List<EventStream> resumed = new ArrayList<>();
      for (Client c : again) {
        resumed.add(client.events(opts.newBuilder().resumeFrom(c.position).build(), c));
      }
      await(live, "resumed connections");
      long tLive = System.nanoTime();
      await(caughtUp, "replays");
      long tAll = System.nanoTime();
      double cpu = d.cpuSeconds() - cpu0;
      resumed.forEach(EventStream::close);
      Map<String, Double> f = new LinkedHashMap<>();
      f.put("all_live_s", (tLive - t0) / 1e9);
      f.put("all_caught_up_s", (tAll - t0) / 1e9);
      f.put("events_lost", (double) lost.get());
      f.put("snapshots_instead_of_replay", (double) snapshots.get());
      f.put("daemon_cpu_s", cpu);
      return f;
    }
  }

  private static void await(CountDownLatch l, String what) throws InterruptedException {
    if (!l.await(180, TimeUnit.SECONDS)) {
      throw new IllegalStateException(what + ": " + l.getCount() + " still waiting after 180 s");
    }
  }
}
