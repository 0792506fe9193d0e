package io.tonearm.daemon.access;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (a token id, an address): each holds up to {@code burst} permits and gains
 * {@code ratePerSecond} a second. At most {@code maxKeys} buckets are kept: when a new key would
 * pass that, buckets that are full again (idle long enough to have refilled, so forgetting them
 * changes nothing) are dropped; if none is, the new key shares one overflow bucket, so that many
 * keys (addresses) cannot make the daemon hold more. Thread-safe; a take is a map lookup and a
 * short lock on the bucket.
 *
 * @param <K> the key type
 */
public final class KeyedBuckets<K> {

  private final double ratePerNano;
  private final double burst;
  private final int maxKeys;
  private final Map<K, Bucket> buckets = new ConcurrentHashMap<>();
  private final Bucket overflow;

  /** One bucket; its fields are guarded by itself. */
  private static final class Bucket {
    double permits;
    long stamp;

    Bucket(double permits, long stamp) {
      this.permits = permits;
      this.stamp = stamp;
    }
  }

  /**
   * @param ratePerSecond permits gained per second, above 0
   * @param burst most permits held, at least 1
   * @param maxKeys most buckets kept, at least 1
   * @param nowNanos the clock's current reading ({@link System#nanoTime()})
   */
  public KeyedBuckets(double ratePerSecond, int burst, int maxKeys, long nowNanos) {
    if (!(ratePerSecond > 0) || burst < 1 || maxKeys < 1) {
      throw new IllegalArgumentException("rate > 0, burst >= 1, maxKeys >= 1");
    }
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.overflow = new Bucket(burst, nowNanos);
  }

  /**
   * Takes one permit of {@code key}'s bucket.
   *
   * @return 0 when taken, else the nanoseconds until one will be there (nothing is taken)
   */
  public long take(K key, long nowNanos) {
    return take(bucket(key, nowNanos), nowNanos, true);
  }

  /** Like {@link #take} but takes nothing: 0 when a permit is there now, else the wait in ns. */
  public long peek(K key, long nowNanos) {
    Bucket b = buckets.get(key);
    return b == null ? 0 : take(b, nowNanos, false);
  }

  /** Buckets held now, for /metrics (at most {@code maxKeys}). */
  public int size() {
    return buckets.size();
  }

  private long take(Bucket b, long now, boolean consume) {
    synchronized (b) {
      refill(b, now);
      if (b.permits >= 1) {
        if (consume) {
          b.permits -= 1;
        }
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - b.permits) / ratePerNano));
    }
  }

  private void refill(Bucket b, long now) {
    long dt = now - b.stamp;
    if (dt > 0) {
      b.permits = Math.min(burst, b.permits + dt * ratePerNano);
      b.stamp = now;
    }
  }

  private Bucket bucket(K key, long now) {
    Bucket b = buckets.get(key);
    if (b != null) {
      return b;
    }
    if (buckets.size() >= maxKeys) {
      evictFull(now);
      if (buckets.size() >= maxKeys) {
        return overflow;
      }
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
  }

  private void evictFull(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      synchronized (b) {
        refill(b, now);
        if (b.permits >= burst) {
          it.remove();
        }
      }
    }
  }
}
