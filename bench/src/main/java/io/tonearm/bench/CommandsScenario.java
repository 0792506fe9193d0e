package io.tonearm.bench;

import io.tonearm.client.EventListener;
import io.tonearm.client.EventStream;
import io.tonearm.client.EventStreamOptions;
import io.tonearm.client.TonearmClient;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * K SDK listeners on the player topic; M commands one after another; for each, the time from
 * sending the HTTP command until the last listener has the event it caused. With {@code --command
 * volume} the command is {@code POST /api/v1/player/volume} (needs the player); by default it is
 * the bench daemon's {@code POST /api/v1/bench/publish}, a bench-only publisher, and the output
 * says so.
 */
final class CommandsScenario {

  /** One command in flight: how many listeners still wait for its seq. */
  private static final class Pending {
    final AtomicInteger left;
    final CountDownLatch done = new CountDownLatch(1);
    volatile long doneNanos;

    Pending(int listeners) {
      left = new AtomicInteger(listeners);
    }
  }

  private CommandsScenario() {}

  static void run(Args a) throws Exception {
    int listeners = a.integer("listeners", 100);
    int commands = a.integer("commands", 200);
    int runs = a.integer("runs", 3);
    boolean volume = a.string("command", a.url() == null ? "publish" : "volume").equals("volume");
    if (!volume && a.url() != null) {
      throw new IllegalArgumentException(
          "--command publish is the bench daemon's own route: against --url use --command volume");
    }
    boolean mpd = a.flag("against-mpd");
    String how =
        volume
            ? "POST /api/v1/player/volume"
            : "BENCH-ONLY PUBLISHER POST /api/v1/bench/publish (not a player command)";
    Report report =
        new Report("commands")
            .param("listeners", listeners)
            .param("commands", commands)
            .param("tonearm_command", how);
    boolean socket = volume && !a.string("transport", "both").equals("http");
    boolean http = !a.string("transport", "both").equals("socket");
    report.param("transport", http && socket ? "http, socket" : socket ? "socket" : "http");
    report.note(
        "socket: the SDK with commandsOverSocket(true) (ClientMessage.command, reply from the Ack);"
            + " the bench-only publisher is not a command, so the socket needs --command volume");
    if (mpd) {
      report.param("mpd_command", "setvol V, K clients in idle mixer");
      report.note("each run measures Tonearm, then MPD, on the same machine one after the other");
    }
    for (int r = 1; r <= runs; r++) {
      Map<String, Double> f = new java.util.LinkedHashMap<>();
      double[] q = {Double.NaN, Double.NaN, Double.NaN};
      if (http) {
        q = once(a, report, listeners, commands, volume, false);
        f.put("tonearm_http_p50_ms", q[0]);
        f.put("tonearm_http_p99_ms", q[1]);
        f.put("tonearm_http_max_ms", q[2]);
      }
      if (socket) {
        double[] w = once(a, report, listeners, commands, true, true);
        f.put("tonearm_socket_p50_ms", w[0]);
        f.put("tonearm_socket_p99_ms", w[1]);
        f.put("tonearm_socket_max_ms", w[2]);
      }
      if (mpd) {
        try (MpdCommands m = new MpdCommands()) {
          double[] p = m.measure(listeners, commands);
          f.put("mpd_p50_ms", p[0]);
          f.put("mpd_p99_ms", p[1]);
          f.put("mpd_max_ms", p[2]);
          if (http) {
            f.put("p99_ratio_http_to_mpd", q[1] / p[1]);
          }
          if (socket) {
            f.put("p99_ratio_socket_to_mpd", f.get("tonearm_socket_p99_ms") / p[1]);
          }
        }
      }
      report.run(f);
      if (http) {
        System.out.println(line("commands run " + r, listeners, commands, how, q));
      }
    }
    report.write(a);
  }

  private static double[] once(
      Args a, Report report, int k, int m, boolean volume, boolean overSocket) throws Exception {
    Map<Long, Pending> pending = new ConcurrentHashMap<>();
    try (DaemonTarget d = DaemonTarget.open(a, 0, 60);
        TonearmClient client = d.client().build();
        TonearmClient socket =
            overSocket ? client.newBuilder().commandsOverSocket(true).build() : null) {
      report.param("daemon", d.describe());
      CountDownLatch connected = new CountDownLatch(k);
      EventListener l =
          new EventListener() {
            @Override
            public void onConnected(EventStream s, Hello h) {
              connected.countDown();
            }

            @Override
            public void onEvent(EventStream s, Envelope e) {
              // The reply names the seq; an event may arrive before it: create the entry here too.
              Pending p = pending.computeIfAbsent(e.getSeq(), x -> new Pending(k));
              if (p.left.decrementAndGet() == 0) {
                p.doneNanos = System.nanoTime();
                p.done.countDown();
              }
            }
          };
      List<EventStream> streams = new ArrayList<>();
      EventStreamOptions opts = EventStreamOptions.builder().topics("player").build();
      for (int i = 0; i < k; i++) {
        streams.add(client.events(opts, l));
      }
      if (!connected.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("listeners did not connect");
      }
      List<Long> nanos = new ArrayList<>();
      for (int i = 0; i < m + 10; i++) {
        int v = i % 2 == 0 ? 40 : 60;
        long t0 = System.nanoTime();
        long seq;
        if (socket != null) {
          seq = socket.player().volume(v).execute().getSeq();
        } else {
          var reply =
              volume
                  ? d.http().post("/api/v1/player/volume", "{\"volume\": " + v + "}")
                  : d.http().post("/api/v1/bench/publish?n=1", "");
          if (reply.statusCode() != 200) {
            throw new IllegalStateException(
                "command answered " + reply.statusCode() + " " + reply.body());
          }
          seq = Http.seqOf(reply.body());
        }
        Pending p = pending.computeIfAbsent(seq, x -> new Pending(k));
        if (!p.done.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("event " + seq + " missing at " + p.left + " listeners");
        }
        pending.clear();
        if (i >= 10) { // the first ten warm up both JVMs
          nanos.add(p.doneNanos - t0);
        }
      }
      streams.forEach(EventStream::close);
      long[] s = Median.sorted(nanos);
      return new double[] {
        Median.percentile(s, 0.50), Median.percentile(s, 0.99), s[s.length - 1] / 1e6
      };
    }
  }

  private static String line(String label, int k, int m, String how, double[] q) {
    return String.format(
        Locale.ROOT,
        "%s: K=%d listeners, M=%d commands via %s: command to every listener p50 %.2f ms"
            + " p99 %.2f ms max %.2f ms",
        label,
        k,
        m,
        how,
        q[0],
        q[1],
        q[2]);
  }
}
