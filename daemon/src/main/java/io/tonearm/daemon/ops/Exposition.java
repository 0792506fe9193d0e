package io.tonearm.daemon.ops;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.tonearm.daemon.events.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Prometheus client library's view of a {@link Metrics}: callback counters and gauges and a
 * histogram collector that read its counts when scraped, the JVM's metrics, one registry and the
 * text writer. Made at the first scrape of {@code /metrics}.
 *
 * <p>The JVM's metrics leave out the native-memory ones: those read Native Memory Tracking (off
 * unless the JVM is started with it) through the platform MBean server, whose creation loads JMX,
 * the JFR management beans and about 420 classes more for metrics that are empty. They load about
 * 190 classes (the library's JVM instrumentation and the platform's management beans) and start a
 * scheduler thread and a listener called on every collection, which is why they too wait for a
 * scrape. Each reads the JVM's own cumulative counters when scraped, so the values are those of
 * registering at start; only {@code jvm_memory_pool_allocated_bytes_total}, which adds up the
 * collections it is told of, counts from the first scrape.
 */
final class Exposition {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /** Registers everything {@code m} counts, its gauges so far and the JVM's metrics. */
  Exposition(Metrics m) {
    CounterWithCallback.builder()
        .name("tonearm_ws_connections_total")
        .help("WebSocket connections accepted")
        .callback(cb -> cb.call(m.connections.sum()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tonearm_ws_messages_sent_total")
        .help("State events and frames written to WebSocket clients, per topic")
        .labelNames("topic")
        .callback(cb -> perTopic(cb, m.sentByTopic))
        .register(registry);
    CounterWithCallback.builder()
        .name("tonearm_ws_frames_dropped_total")
        .help("Frames replaced by a newer one before a slow client could take them, per topic")
        .labelNames("topic")
        .callback(cb -> perTopic(cb, m.droppedByTopic))
        .register(registry);
    CounterWithCallback.builder()
        .name("tonearm_ws_outbound_bytes_total")
        .help("Payload bytes written to WebSocket clients")
        .callback(cb -> cb.call(m.bytesOut.sum()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tonearm_ws_disconnects_total")
        .help("WebSocket connections closed by the daemon, per reason")
        .labelNames("reason")
        .callback(cb -> perLabel(cb, m.disconnects))
        .register(registry);
    CounterWithCallback.builder()
        .name("tonearm_connections_refused_total")
        .help(
            "Connections refused on arrival, per reason (total cap, per-address cap, file"
                + " descriptor reserve) and requests cut for a late head (header_timeout)")
        .labelNames("reason")
        .callback(cb -> perLabel(cb, m.refused))
        .register(registry);
    registry.register(() -> commandHistogram(m));
    for (Metrics.Gauge g : m.gauges) {
      register(g);
    }
    JvmThreadsMetrics.builder().register(registry);
    JvmBufferPoolMetrics.builder().register(registry);
    JvmClassLoadingMetrics.builder().register(registry);
    JvmCompilationMetrics.builder().register(registry);
    JvmGarbageCollectorMetrics.builder().register(registry);
    JvmMemoryPoolAllocationMetrics.builder().register(registry);
    JvmMemoryMetrics.builder().register(registry);
    JvmRuntimeInfoMetric.builder().register(registry);
    ProcessMetrics.builder().register(registry);
  }

  void register(Metrics.Gauge g) {
    GaugeWithCallback.builder()
        .name(g.name())
        .help(g.help())
        .callback(cb -> cb.call(g.value().getAsDouble()))
        .register(registry);
  }

  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  String contentType() {
    return writer.getContentType();
  }

  private static void perTopic(CounterWithCallback.Callback cb, LongAdder[] byTopic) {
    for (Topic t : Topic.values()) {
      cb.call(byTopic[t.ordinal()].sum(), t.wireName());
    }
  }

  private static void perLabel(CounterWithCallback.Callback cb, Map<String, LongAdder> byLabel) {
    byLabel.forEach((label, count) -> cb.call(count.sum(), label));
  }

  private static HistogramSnapshot commandHistogram(Metrics m) {
    double[] bounds = new double[Metrics.COMMAND_BOUNDS.length + 1];
    System.arraycopy(Metrics.COMMAND_BOUNDS, 0, bounds, 0, Metrics.COMMAND_BOUNDS.length);
    bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
    HistogramSnapshot.Builder h =
        HistogramSnapshot.builder()
            .name("tonearm_command_duration_seconds")
            .help("Time from receiving an API request to sending its reply, per route");
    m.commandTimes.forEach(
        (route, t) -> {
          long[] counts = new long[bounds.length];
          for (int i = 0; i < counts.length; i++) {
            counts[i] = t.buckets[i].sum();
          }
          h.dataPoint(
              HistogramSnapshot.HistogramDataPointSnapshot.builder()
                  .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                  .sum(t.sum.sum())
                  .labels(Labels.of("route", route))
                  .build());
        });
    return h.build();
  }
}
