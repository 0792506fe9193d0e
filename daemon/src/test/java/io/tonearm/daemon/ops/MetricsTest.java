package io.tonearm.daemon.ops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tonearm.daemon.events.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void jvmMetricsAreRegisteredAtTheFirstScrapeAndOnlyOnce() {
    Metrics m = new Metrics();
    m.connectionOpened();
    assertFalse(m.exposed(), "nothing of the client library's is made before a scrape");

    String first = new String(m.scrape(), UTF_8);
    assertTrue(m.exposed());
    assertTrue(first.contains("tonearm_ws_connections_total 1.0"), first);
    assertTrue(first.contains("jvm_memory_used_bytes"), first);
    assertTrue(first.contains("jvm_threads_current"), first);
    assertTrue(first.contains("process_cpu_seconds_total"), first);

    // A second registration of the same names would throw; the second scrape has them once.
    String second = new String(m.scrape(), UTF_8);
    assertTrue(second.contains("jvm_memory_used_bytes"), second);
    assertTrue(
        second.indexOf("# TYPE jvm_threads_current")
            == second.lastIndexOf("# TYPE jvm_threads_current"),
        second);
  }

  @Test
  void countsFromBeforeTheFirstScrapeAreExposedAsTheClientLibrarysOwnMetricsWouldBe()
      throws IOException {
    Metrics m = new Metrics();
    Reference r = new Reference();
    double[] gauge = {3};
    m.gauge("tonearm_test_early", "A gauge registered before the first scrape", () -> gauge[0]);
    r.gauge("tonearm_test_early", "A gauge registered before the first scrape", () -> gauge[0]);
    assertEquals(r.scrape(), tonearmLines(m), "nothing counted yet");

    Random random = new Random(13);
    String[] routes = {"/api/v1/player/volume", "/api/v1/library", "/metrics"};
    String[] reasons = {"slow_client", "going_away", "header_timeout"};
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 2_000; i++) {
        Topic t = Topic.values()[random.nextInt(Topic.values().length)];
        int bytes = random.nextInt(5_000);
        String route = routes[random.nextInt(routes.length)];
        // every bucket, its bounds exactly, and past the last
        long nanos =
            random.nextInt(8) == 0
                ? Math.round(Metrics.COMMAND_BOUNDS[random.nextInt(12)] * 1e9)
                : (long) (Math.pow(10, 3 + random.nextDouble() * 7));
        String reason = reasons[random.nextInt(reasons.length)];
        switch (random.nextInt(6)) {
          case 0 -> {
            m.connectionOpened();
            r.connections.inc();
          }
          case 1 -> {
            m.sent(t, bytes);
            r.sent.labelValues(t.wireName()).inc();
            r.bytes.inc(bytes);
          }
          case 2 -> {
            m.dropped(t, bytes % 7);
            r.dropped.labelValues(t.wireName()).inc(bytes % 7);
          }
          case 3 -> {
            m.disconnected(reason);
            r.disconnects.labelValues(reason).inc();
          }
          case 4 -> {
            m.refused(reason);
            r.refused.labelValues(reason).inc();
          }
          default -> {
            m.command(route, nanos);
            r.commands.labelValues(route).observe(nanos / 1e9);
          }
        }
      }
      gauge[0] = round + 0.5;
      assertEquals(r.scrape(), tonearmLines(m), "round " + round);
      if (round == 0) {
        m.gauge("tonearm_test_late", "A gauge registered after the first scrape", () -> 7);
        r.gauge("tonearm_test_late", "A gauge registered after the first scrape", () -> 7);
      }
    }
  }

  private static String tonearmLines(Metrics m) {
    return only(new String(m.scrape(), UTF_8));
  }

  private static String only(String exposition) {
    return Arrays.stream(exposition.split("\n"))
        .filter(l -> l.startsWith("tonearm_") || l.matches("# (HELP|TYPE) tonearm_.*"))
        .collect(Collectors.joining("\n"));
  }

  /** The metrics as the client library's own counters and histogram (the code before). */
  private static final class Reference {
    final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter connections =
        counter("tonearm_ws_connections_total", "WebSocket connections accepted");
    final Counter sent =
        counter(
            "tonearm_ws_messages_sent_total",
            "State events and frames written to WebSocket clients, per topic",
            "topic");
    final Counter dropped =
        counter(
            "tonearm_ws_frames_dropped_total",
            "Frames replaced by a newer one before a slow client could take them, per topic",
            "topic");
    final Counter bytesTotal =
        counter("tonearm_ws_outbound_bytes_total", "Payload bytes written to WebSocket clients");
    final io.prometheus.metrics.core.datapoints.CounterDataPoint bytes = bytesTotal.labelValues();
    final Counter disconnects =
        counter(
            "tonearm_ws_disconnects_total",
            "WebSocket connections closed by the daemon, per reason",
            "reason");
    final Counter refused =
        counter(
            "tonearm_connections_refused_total",
            "Connections refused on arrival, per reason (total cap, per-address cap, file"
                + " descriptor reserve) and requests cut for a late head (header_timeout)",
            "reason");
    final Histogram commands =
        Histogram.builder()
            .name("tonearm_command_duration_seconds")
            .help("Time from receiving an API request to sending its reply, per route")
            .withoutExemplars()
            .labelNames("route")
            .classicUpperBounds(
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1)
            .register(registry);

    Reference() {
      for (Topic t : Topic.values()) {
        sent.labelValues(t.wireName());
        dropped.labelValues(t.wireName());
      }
    }

    private Counter counter(String name, String help, String... labels) {
      return Counter.builder()
          .name(name)
          .help(help)
          .withoutExemplars()
          .labelNames(labels)
          .register(registry);
    }

    void gauge(String name, String help, java.util.function.DoubleSupplier value) {
      GaugeWithCallback.builder()
          .name(name)
          .help(help)
          .callback(cb -> cb.call(value.getAsDouble()))
          .register(registry);
    }

    String scrape() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
      return only(out.toString(UTF_8));
    }
  }
}
