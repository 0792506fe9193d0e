package io.tonearm.daemon.ops;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
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
import io.tonearm.daemon.events.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The daemon's Prometheus metrics. Per-topic counters are resolved once so that the fan-out's hot
 * path only increments a field.
 */
public final class Metrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  private final Counter connections;
  private final Counter sent;
  private final Counter dropped;
  private final Counter outboundBytes;
  private final Counter disconnects;
  private final Counter refused;
  private final Histogram commandSeconds;
  private final Map<Topic, CounterDataPoint> sentByTopic = new EnumMap<>(Topic.class);
  private final Map<Topic, CounterDataPoint> droppedByTopic = new EnumMap<>(Topic.class);
  private final CounterDataPoint bytesOut;

  /**
   * The duration histogram's data point per route template (a bounded set: the command table's
   * routes), so that a command does not look its labels up in the client library's map of lists.
   */
  private final Map<String, DistributionDataPoint> commandPoints = new ConcurrentHashMap<>();

  /** Set once the JVM's metrics are registered (at the first scrape). */
  private volatile boolean jvmRegistered;

  /**
   * Counters and histograms are built without exemplars: with them, the client library samples an
   * exemplar on every increment and keeps a thread waking to rotate them, which for a counter
   * bumped per frame sent cost 0.15-0.25% of a core; nothing here uses tracing exemplars.
   */
  public Metrics() {
    connections =
        Counter.builder()
            .name("tonearm_ws_connections_total")
            .help("WebSocket connections accepted")
            .withoutExemplars()
            .register(registry);
    sent =
        Counter.builder()
            .name("tonearm_ws_messages_sent_total")
            .help("State events and frames written to WebSocket clients, per topic")
            .withoutExemplars()
            .labelNames("topic")
            .register(registry);
    dropped =
        Counter.builder()
            .name("tonearm_ws_frames_dropped_total")
            .help("Frames replaced by a newer one before a slow client could take them, per topic")
            .withoutExemplars()
            .labelNames("topic")
            .register(registry);
    outboundBytes =
        Counter.builder()
            .name("tonearm_ws_outbound_bytes_total")
            .help("Payload bytes written to WebSocket clients")
            .withoutExemplars()
            .register(registry);
    disconnects =
        Counter.builder()
            .name("tonearm_ws_disconnects_total")
            .help("WebSocket connections closed by the daemon, per reason")
            .withoutExemplars()
            .labelNames("reason")
            .register(registry);
    refused =
        Counter.builder()
            .name("tonearm_connections_refused_total")
            .help(
                "Connections refused on arrival, per reason (total cap, per-address cap, file"
                    + " descriptor reserve) and requests cut for a late head (header_timeout)")
            .withoutExemplars()
            .labelNames("reason")
            .register(registry);
    commandSeconds =
        Histogram.builder()
            .name("tonearm_command_duration_seconds")
            .help("Time from receiving an API request to sending its reply, per route")
            .withoutExemplars()
            .labelNames("route")
            .classicUpperBounds(
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1)
            .register(registry);
    for (Topic t : Topic.values()) {
      sentByTopic.put(t, sent.labelValues(t.wireName()));
      droppedByTopic.put(t, dropped.labelValues(t.wireName()));
    }
    bytesOut = outboundBytes.labelValues();
  }

  /**
   * The client library's JVM metrics (memory, collections, threads, classes, compilation, buffer
   * pools, process CPU and memory) except the native-memory ones: those read Native Memory Tracking
   * (off unless the JVM is started with it) through the platform MBean server, whose creation loads
   * JMX, the JFR management beans and about 420 classes more for metrics that are empty (issue 13:
   * metaspace of the idle process).
   *
   * <p>Registered at the first scrape rather than at start: they load about 190 classes (the
   * library's JVM instrumentation and the platform's management beans), start a scheduler thread
   * for their exemplars and a listener called on every collection, 1.4-2.1 MB of the idle daemon's
   * resident set that a daemon nobody scrapes does not need. Each reads the JVM's own cumulative
   * counters when scraped, so the values are those of registering at start; only {@code
   * jvm_memory_pool_allocated_bytes_total}, which adds up the collections it is told of, counts
   * from the first scrape.
   */
  private void registerJvmMetrics() {
    if (jvmRegistered) {
      return;
    }
    synchronized (this) {
      if (!jvmRegistered) {
        jvmMetrics();
        jvmRegistered = true;
      }
    }
  }

  private void jvmMetrics() {
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

  /** Registers a gauge read at scrape time. */
  public void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsDouble()))
        .register(registry);
  }

  public void connectionOpened() {
    connections.inc();
  }

  public void sent(Topic topic, int bytes) {
    sentByTopic.get(topic).inc();
    bytesOut.inc(bytes);
  }

  public void dropped(Topic topic) {
    droppedByTopic.get(topic).inc();
  }

  /** Counts {@code frames} dropped frames of {@code topic}. */
  public void dropped(Topic topic, int frames) {
    droppedByTopic.get(topic).inc(frames);
  }

  public void disconnected(String reason) {
    disconnects.labelValues(reason).inc();
  }

  /** A connection refused, or a request cut, for {@code reason}. */
  public void refused(String reason) {
    refused.labelValues(reason).inc();
  }

  public void command(String route, long nanos) {
    DistributionDataPoint point = commandPoints.get(route); // no method reference made per call
    if (point == null) {
      point = commandPoints.computeIfAbsent(route, commandSeconds::labelValues);
    }
    point.observe(nanos / 1e9);
  }

  /** The Prometheus text exposition of every metric; the first call registers the JVM's. */
  public byte[] scrape() {
    registerJvmMetrics();
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Whether the JVM's metrics are registered yet (they are at the first {@link #scrape}). */
  boolean jvmMetricsRegistered() {
    return jvmRegistered;
  }

  public String contentType() {
    return writer.getContentType();
  }
}
