package io.tonearm.daemon.access;

import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.errors.DomainException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Token buckets for commands (every row of the command table, over HTTP and the socket): one per
 * token and one per client address (IPv6 by /64). A loopback client is not limited by address, and
 * one trusted without a token has no token bucket, so local tools and tests run unlimited. At most
 * {@value #MAX_KEYS} buckets of each kind are held (see {@link KeyedBuckets}). Thread-safe.
 */
public final class CommandLimits {

  public static final int MAX_KEYS = 10_000;

  private final KeyedBuckets<String> perToken;
  private final KeyedBuckets<String> perAddress;
  private final LongSupplier nanos;
  private final AtomicLong refused = new AtomicLong();

  public CommandLimits(Config.Security s, LongSupplier nanos) {
    this.nanos = nanos;
    long now = nanos.getAsLong();
    this.perToken = new KeyedBuckets<>(s.tokenRate(), s.tokenBurst(), MAX_KEYS, now);
    this.perAddress = new KeyedBuckets<>(s.addressRate(), s.addressBurst(), MAX_KEYS, now);
  }

  /**
   * Takes a permit for one command.
   *
   * @throws DomainException 429 {@code rate_limited} with {@code details.retry_after_ms} and {@code
   *     details.limit} ({@code address} or {@code token}); nothing else happens
   */
  public void take(Caller c) {
    long now = nanos.getAsLong();
    if (c.address() != null && !c.address().isLoopbackAddress()) {
      long wait = perAddress.take(AddressKeys.of(c.address()), now);
      if (wait > 0) {
        throw refuse("address", wait);
      }
    }
    if (!c.principal().trusted()) {
      long wait = perToken.take(c.principal().tokenId(), now);
      if (wait > 0) {
        throw refuse("token", wait);
      }
    }
  }

  /** Commands refused so far. */
  public long refused() {
    return refused.get();
  }

  /** Buckets held (token, address). */
  public int buckets() {
    return perToken.size() + perAddress.size();
  }

  private DomainException refuse(String limit, long waitNanos) {
    refused.incrementAndGet();
    long ms = Math.max(1, (waitNanos + 999_999) / 1_000_000);
    return new DomainException(
        DomainException.Kind.TOO_MANY,
        "rate_limited",
        "too many commands for this " + limit + "; retry in " + ms + " ms",
        Map.of("retry_after_ms", Long.toString(ms), "limit", limit));
  }
}
