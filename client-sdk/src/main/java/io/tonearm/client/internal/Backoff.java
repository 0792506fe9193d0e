package io.tonearm.client.internal;

import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with "full jitter": attempt {@code n} (from 0) waits a uniformly random time
 * in {@code [0, min(max, base * 2^n)]}. Full jitter spreads a crowd of clients that lost the same
 * daemon over the whole window instead of bunching them at its edge (M. Brooker, "Exponential
 * Backoff And Jitter", AWS Architecture Blog, 2015).
 */
public final class Backoff {

  private final long baseMillis;
  private final long maxMillis;
  private final LongUnaryOperator random;

  /**
   * @param random given a bound {@code b >= 0}, returns a uniform value in {@code [0, b]}
   */
  public Backoff(long baseMillis, long maxMillis, LongUnaryOperator random) {
    if (baseMillis < 1 || maxMillis < baseMillis) {
      throw new IllegalArgumentException("need 1 <= base <= max");
    }
    this.baseMillis = baseMillis;
    this.maxMillis = maxMillis;
    this.random = random;
  }

  /** The cap of attempt {@code n}: {@code min(max, base * 2^n)}, without overflow. */
  public long ceilingMillis(int attempt) {
    int shift = Math.min(Math.max(attempt, 0), 62);
    long cap = baseMillis << shift;
    return (cap >> shift) != baseMillis || cap > maxMillis ? maxMillis : cap;
  }

  /** The delay before attempt {@code n}, in milliseconds. */
  public long delayMillis(int attempt) {
    long ceiling = ceilingMillis(attempt);
    long d = random.applyAsLong(ceiling);
    return Math.max(0, Math.min(ceiling, d));
  }
}
