package io.tonearm.bench;

import io.tonearm.client.EventListener;
import io.tonearm.client.EventStream;
import io.tonearm.client.EventStreamOptions;
import io.tonearm.client.TonearmClient;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 12's zones figure: U users, each with their own zone and a token limited to it, each
 * listening on its zone's player topic through the SDK while sending M volume commands one after
 * another (all users at once). Reported: the time from sending a command until its user's listener
 * has the event it caused (p50/p99/max over every user's commands), the events any listener got
 * from another zone (must be 0), the daemon's heap with U zones (after two full GCs), its CPU.
 */
final class ZonesScenario {

  private static final Pattern SECRET = Pattern.compile("\"secret\"\\s*:\\s*\"([^\"]+)\"");

  private ZonesScenario() {}

  /** One user: its zone, its client (token + zone), its listener's arrivals by seq. */
  private static final class User {
    final String zone;
    final TonearmClient client;
    final Map<Long, Long> arrived = new ConcurrentHashMap<>();
    final Map<Long, CountDownLatch> waiting = new ConcurrentHashMap<>();
    final AtomicLong events = new AtomicLong();
    final AtomicLong foreign = new AtomicLong();
    final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

    User(String zone, TonearmClient client) {
      this.zone = zone;
      this.client = client;
    }

    void arrived(Envelope e) {
      events.incrementAndGet();
      if (!e.getZone().isEmpty() && !e.getZone().equals(zone)) {
        foreign.incrementAndGet();
      }
      long now = System.nanoTime();
      arrived.put(e.getSeq(), now);
      CountDownLatch l = waiting.remove(e.getSeq());
      if (l != null) {
        l.countDown();
      }
    }

    /** Waits up to 10 s for the event with this seq; returns when it arrived (nanoTime). */
    long await(long seq) throws InterruptedException {
      Long t = arrived.get(seq);
      if (t == null) {
        CountDownLatch l = waiting.computeIfAbsent(seq, s -> new CountDownLatch(1));
        t = arrived.get(seq); // it may have come between the two looks
        if (t == null) {
          if (!l.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(zone + ": event " + seq + " missing");
          }
          t = arrived.get(seq);
        }
      }
      arrived.clear();
      return t;
    }
  }

  static void run(Args a) throws Exception {
    int users = a.integer("users", 100);
    int commands = a.integer("commands", 100);
    int runs = a.integer("runs", 3);
    boolean socket = a.string("transport", "http").equals("socket");
    Report report =
        new Report("zones")
            .param("users", users)
            .param("commands_per_user", commands)
            .param("transport", socket ? "socket" : "http")
            .param("command", "player.volume in the user's own zone, no zone named (the token's)");
    report.note(
        "every user sends at once, one command at a time; latency = send until the user's own"
            + " listener has the event with the reply's seq; foreign = events of another zone");
    for (int r = 1; r <= runs; r++) {
      Map<String, Double> f = once(users, commands, socket);
      report.run(f);
      System.out.printf(
          Locale.ROOT,
          "zones run %d: %d users in %d zones, %d commands each over %s: command to own listener"
              + " p50 %.2f ms p99 %.2f ms max %.2f ms; events from other zones %.0f (of %.0f);"
              + " heap with the zones %.1f MB; daemon CPU %.2f s%n",
          r,
          users,
          users,
          commands,
          socket ? "the socket" : "HTTP",
          f.get("p50_ms"),
          f.get("p99_ms"),
          f.get("max_ms"),
          f.get("foreign_events"),
          f.get("events"),
          f.get("heap_mb"),
          f.get("daemon_cpu_s"));
    }
    report.write(a);
  }

  private static Map<String, Double> once(int n, int m, boolean socket) throws Exception {
    try (DaemonProcess d = new DaemonProcess(0, 60);
        TonearmClient base =
            TonearmClient.builder()
                .baseUri(URI.create("http://127.0.0.1:" + d.port()))
                .eventLoopThreads(2)
                .build()) {
      long heapBefore = heap(d);
      List<User> users = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String zone = String.format(Locale.ROOT, "u%03d", i);
        var z = d.http().post("/api/v1/zones", "{\"id\":\"" + zone + "\"}");
        if (z.statusCode() != 201) {
          throw new IllegalStateException("zone " + zone + ": " + z.statusCode() + " " + z.body());
        }
        var t =
            d.http()
                .post(
                    "/api/v1/tokens",
                    "{\"name\":\"user-"
                        + zone
                        + "\",\"scopes\":[\"read\",\"control\"],\"zones\":[\""
                        + zone
                        + "\"]}");
        Matcher s = SECRET.matcher(t.body());
        if (t.statusCode() != 201 || !s.find()) {
          throw new IllegalStateException("token: " + t.statusCode() + " " + t.body());
        }
        users.add(
            new User(zone, base.newBuilder().token(s.group(1)).commandsOverSocket(socket).build()));
      }
      long heapAfter = heap(d);
      CountDownLatch connected = new CountDownLatch(n);
      List<EventStream> streams = new ArrayList<>();
      for (User u : users) {
        streams.add(
            u.client.events(
                EventStreamOptions.builder().topics("player").build(),
                new EventListener() {
                  @Override
                  public void onConnected(EventStream s, Hello h) {
                    if (!h.getZone().equals(u.zone)) {
                      throw new IllegalStateException(u.zone + " got zone " + h.getZone());
                    }
                    connected.countDown();
                  }

                  @Override
                  public void onEvent(EventStream s, Envelope e) {
                    u.arrived(e);
                  }
                }));
      }
      if (!connected.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("listeners did not connect");
      }
      double cpu0 = d.cpuSeconds();
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
      for (User u : users) {
        Thread th =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < m + 10; i++) {
                      int v = i % 2 == 0 ? 40 : 60;
                      long t0 = System.nanoTime();
                      long seq = u.client.player().volume(v).execute().getSeq();
                      long t1 = u.await(seq);
                      if (i >= 10) { // the first ten warm up both JVMs
                        u.nanos.add(t1 - t0);
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                },
                "user-" + u.zone);
        th.start();
        threads.add(th);
      }
      for (Thread th : threads) {
        th.join();
      }
      double cpu = d.cpuSeconds() - cpu0;
      streams.forEach(EventStream::close);
      if (!failures.isEmpty()) {
        throw new IllegalStateException("a user failed", failures.get(0));
      }
      List<Long> all = new ArrayList<>();
      long foreign = 0;
      long events = 0;
      for (User u : users) {
        all.addAll(u.nanos);
        foreign += u.foreign.get();
        events += u.events.get();
        if (socket) {
          u.client.close();
        }
      }
      long[] s = Median.sorted(all);
      Map<String, Double> f = new java.util.LinkedHashMap<>();
      f.put("p50_ms", Median.percentile(s, 0.50));
      f.put("p99_ms", Median.percentile(s, 0.99));
      f.put("max_ms", s[s.length - 1] / 1e6);
      f.put("foreign_events", (double) foreign);
      f.put("events", (double) events);
      f.put("heap_mb", heapAfter / 1e6);
      f.put("heap_per_zone_kb", (heapAfter - heapBefore) / 1e3 / n);
      f.put("daemon_cpu_s", cpu);
      return f;
    }
  }

  private static long heap(DaemonProcess d) throws Exception {
    String body = d.http().get("/api/v1/bench/memory").body();
    Matcher m = Pattern.compile("\"heap\":(\\d+)").matcher(body);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
