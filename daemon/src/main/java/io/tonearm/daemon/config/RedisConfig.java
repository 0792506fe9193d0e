package io.tonearm.daemon.config;

/**
 * Where the origin publishes for relays, or where a relay follows it.
 *
 * @param url {@code redis://host:port}; null when the origin publishes nowhere
 * @param origin a relay's origin, {@code http(s)://host:port} without a trailing slash; null on the
 *     origin
 * @param streamEvents trim bound of each zone's stream, in entries (approximate)
 * @param streamBytes trim bound of each zone's stream, in encoded event bytes (approximate)
 */
public record RedisConfig(String url, String origin, int streamEvents, long streamBytes) {

  public static final int DEFAULT_STREAM_EVENTS = 65_536;
  public static final long DEFAULT_STREAM_BYTES = 32L << 20;

  /** No Redis: the origin publishes nowhere. */
  public static final RedisConfig NONE =
      new RedisConfig(null, null, DEFAULT_STREAM_EVENTS, DEFAULT_STREAM_BYTES);

  /** A relay of {@code origin} following {@code url}, default bounds. */
  public static RedisConfig relay(String url, String origin) {
    return new RedisConfig(url, origin, DEFAULT_STREAM_EVENTS, DEFAULT_STREAM_BYTES);
  }

  /** The origin publishing to {@code url} with default bounds. */
  public static RedisConfig publishTo(String url) {
    return new RedisConfig(url, null, DEFAULT_STREAM_EVENTS, DEFAULT_STREAM_BYTES);
  }

  /** This with other stream bounds. */
  public RedisConfig withStream(int events, long bytes) {
    return new RedisConfig(url, origin, events, bytes);
  }
}
