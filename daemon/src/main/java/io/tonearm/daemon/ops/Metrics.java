package io.tonearm.daemon.ops;

import io.tonearm.daemon.events.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The daemon's Prometheus metrics. The counts are kept here, in adders resolved once (per topic,
 * per route) so that the fan-out's and the commands' hot paths only increment a field; the
 * Prometheus client library's metrics, registry and text writer ({@link Exposition}) are made at
 * the first scrape of {@code /metrics} and read these counts when scraped.
 *
 * <p>Why not the client library's own counters from the start: it loaded about 100 classes (its
 * metric builders, snapshots, configuration loader, 30 lambdas) and made 60 callback gauges at
 * start, about 1 MB of the idle daemon's resident set (issue 13) that a daemon nobody scrapes does
 * not need. The exposition is the same text as before: {@code MetricsTest} compares it with the
 * library's own counters and histogram fed the same values.
 */
public final class Metrics {

  /** The command histogram's upper bounds, seconds (the last bucket, +Inf, is added). */
  static final double[] COMMAND_BOUNDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1
  };

  final LongAdder connections = new LongAdder();
  final LongAdder[] sentByTopic = adders(Topic.values().length);
  final LongAdder[] droppedByTopic = adders(Topic.values().length);
  final LongAdder bytesOut = new LongAdder();
  final ConcurrentHashMap<String, LongAdder> disconnects = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, LongAdder> refused = new ConcurrentHashMap<>();

  /** The command histogram per route template (a bounded set: the command table's routes). */
  final ConcurrentHashMap<String, Timings> commandTimes = new ConcurrentHashMap<>();

  /** Gauges registered so far, in order; guarded by {@code this}. */
  final List<Gauge> gauges = new ArrayList<>();

  /** Made at the first scrape; guarded by {@code this}. */
  private Exposition exposition;

  /** A gauge read at scrape time. */
  record Gauge(String name, String help, DoubleSupplier value) {}

  /** One route's classic histogram: a count per bucket ({@link #COMMAND_BOUNDS}, then +Inf). */
  static final class Timings {
    final LongAdder[] buckets = adders(COMMAND_BOUNDS.length + 1);
    final DoubleAdder sum = new DoubleAdder();

    void observe(double seconds) {
      int i = 0;
      while (i < COMMAND_BOUNDS.length && seconds > COMMAND_BOUNDS[i]) {
        i++;
      }
      buckets[i].increment();
      sum.add(seconds);
    }
  }

  /** Registers a gauge read at scrape time. */
  public synchronized void gauge(String name, String help, DoubleSupplier value) {
    Gauge g = new Gauge(name, help, value);
    gauges.add(g);
    if (exposition != null) {
      exposition.register(g);
    }
  }

  public void connectionOpened() {
    connections.increment();
  }

  public void sent(Topic topic, int bytes) {
    sentByTopic[topic.ordinal()].increment();
    bytesOut.add(bytes);
  }

  public void dropped(Topic topic) {
    droppedByTopic[topic.ordinal()].increment();
  }

  /** Counts {@code frames} dropped frames of {@code topic}. */
  public void dropped(Topic topic, int frames) {
    droppedByTopic[topic.ordinal()].add(frames);
  }

  public void disconnected(String reason) {
    count(disconnects, reason);
  }

  /** A connection refused, or a request cut, for {@code reason}. */
  public void refused(String reason) {
    count(refused, reason);
  }

  public void command(String route, long nanos) {
    Timings t = commandTimes.get(route); // no method reference made per call
    if (t == null) {
      t = commandTimes.computeIfAbsent(route, r -> new Timings());
    }
    t.observe(nanos / 1e9);
  }

  /**
   * The Prometheus text exposition of every metric; the first call makes the client library's
   * metrics (and registers the JVM's).
   */
  public byte[] scrape() {
    return exposition().scrape();
  }

  public String contentType() {
    return exposition().contentType();
  }

  /** Whether the client library's metrics are made yet (they are at the first {@link #scrape}). */
  synchronized boolean exposed() {
    return exposition != null;
  }

  private synchronized Exposition exposition() {
    if (exposition == null) {
      exposition = new Exposition(this);
    }
    return exposition;
  }

  private static void count(ConcurrentHashMap<String, LongAdder> byReason, String reason) {
    LongAdder a = byReason.get(reason);
    if (a == null) {
      a = byReason.computeIfAbsent(reason, r -> new LongAdder());
    }
    a.increment();
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }
}
