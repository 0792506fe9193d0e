package io.tonearm.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, in 10 µs buckets up to 10 s plus an overflow bucket, with the exact
 * maximum. Thread-safe and allocation-free on {@link #record}.
 */
final class LatencyHistogram {

  private static final int BUCKET_US = 10;
  private static final int BUCKETS = 1_000_000;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);
  private final AtomicLong max = new AtomicLong();
  private final AtomicLong total = new AtomicLong();

  void record(long micros) {
    long us = Math.max(0, micros);
    counts.incrementAndGet((int) Math.min(BUCKETS, us / BUCKET_US));
    total.incrementAndGet();
    long m;
    while (us > (m = max.get()) && !max.compareAndSet(m, us)) {
      // retry
    }
  }

  void reset() {
    for (int i = 0; i <= BUCKETS; i++) {
      counts.set(i, 0);
    }
    max.set(0);
    total.set(0);
  }

  long count() {
    return total.get();
  }

  /** The latency at quantile {@code q} (0..1) in milliseconds: the upper edge of its bucket. */
  double quantileMillis(double q) {
    long n = total.get();
    if (n == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * n);
    long seen = 0;
    for (int i = 0; i <= BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= Math.max(1, rank)) {
        return i == BUCKETS ? maxMillis() : Math.min((i + 1) * BUCKET_US, max.get()) / 1000.0;
      }
    }
    return maxMillis();
  }

  double maxMillis() {
    return max.get() / 1000.0;
  }
}
