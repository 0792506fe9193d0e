package io.tonearm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory per idle event-socket connection: N bare WebSocket clients subscribed to {@code player}
 * sit idle; the daemon's heap (after full GCs), direct buffers, resident set and the kernel's TCP
 * memory are read before and after, and the differences divided by N. Kernel figures (TCP socket
 * slab objects and the pages of socket buffers, from /proc/slabinfo and /proc/net/sockstat) cover
 * both ends, since the clients share the machine: half is counted for the daemon's end.
 */
final class IdleScenario {

  private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(-?\\d+)");

  private IdleScenario() {}

  static void run(Args a) throws Exception {
    int n = a.integer("connections", 2000);
    int runs = a.integer("runs", 3);
    int settle = a.integer("settle-seconds", 3);
    Report report = new Report("idle").param("connections", n).param("settle_s", settle);
    report.note(
        "kernel = half the growth of TCP slab objects (TCP, TCPv6, with their object size) plus"
            + " half the growth of /proc/net/sockstat TCP mem pages; the other half is the"
            + " clients' end on the same machine");
    for (int r = 0; r < runs; r++) {
      report.run(once(a, report, n, settle));
    }
    report.write(a);
  }

  private static Map<String, Double> once(Args a, Report report, int n, int settle)
      throws Exception {
    try (DaemonTarget d = DaemonTarget.open(a, 0, 60)) {
      report.param("daemon", d.describe());
      if (!d.benchOnly()) {
        report.note(
            "against --url: heap and direct need the bench daemon's /api/v1/bench/memory (n/a);"
                + " RSS needs --pid");
      }
      Thread.sleep(settle * 1000L);
      Map<String, Long> m0 = memory(d);
      double rss0 = rss(d.pid());
      long kernel0 = kernelBytes();
      try (RawClients clients = new RawClients(1)) {
        clients.connect(d.ws("/ws?topics=player"), n, d.token());
        Thread.sleep(settle * 1000L);
        Map<String, Long> m1 = memory(d);
        double rss1 = rss(d.pid());
        long kernel1 = kernelBytes();
        double heap = m0 == null ? Double.NaN : (m1.get("heap") - m0.get("heap")) / (double) n;
        double direct =
            m0 == null
                ? Double.NaN
                : (Math.max(m1.get("direct"), 0)
                        + Math.max(m1.get("netty_direct"), 0)
                        - Math.max(m0.get("direct"), 0)
                        - Math.max(m0.get("netty_direct"), 0))
                    / (double) n;
        double kernel = (kernel1 - kernel0) / 2.0 / n;
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("heap_b_per_conn", heap);
        f.put("direct_b_per_conn", direct);
        f.put("kernel_b_per_conn", kernel);
        f.put("total_b_per_conn", heap + direct + kernel);
        f.put("rss_b_per_conn", (rss1 - rss0) / (double) n);
        return f;
      }
    }
  }

  /** Heap and direct bytes from the bench daemon; null for a running daemon. */
  private static Map<String, Long> memory(DaemonTarget d) throws IOException, InterruptedException {
    if (!d.benchOnly()) {
      return null;
    }
    String body = d.http().get("/api/v1/bench/memory").body();
    Map<String, Long> m = new LinkedHashMap<>();
    Matcher x = NUMBER.matcher(body);
    while (x.find()) {
      m.put(x.group(1), Long.parseLong(x.group(2)));
    }
    return m;
  }

  /** Resident bytes of {@code pid}, or NaN when unknown. */
  private static double rss(long pid) throws IOException {
    return pid < 0 ? Double.NaN : ProcStat.rssKb(pid)[0] * 1024.0;
  }

  /** TCP socket objects (slab) plus TCP buffer pages, in bytes, for this network namespace. */
  static long kernelBytes() throws IOException {
    long bytes = 0;
    Path slab = Path.of("/proc/slabinfo");
    if (Files.isReadable(slab)) {
      for (String l : Files.readAllLines(slab)) {
        String[] f = l.trim().split("\\s+");
        if (f.length > 3 && (f[0].equals("TCP") || f[0].equals("TCPv6"))) {
          bytes += Long.parseLong(f[1]) * Long.parseLong(f[3]);
        }
      }
    }
    for (String l : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
      if (l.startsWith("TCP:")) {
        String[] f = l.trim().split("\\s+");
        for (int i = 1; i + 1 < f.length; i++) {
          if (f[i].equals("mem")) {
            bytes += Long.parseLong(f[i + 1]) * 4096;
          }
        }
      }
    }
    return bytes;
  }
}
