package io.tonearm.daemon.relay;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;

/**
 * One Redis server as this process reaches it (Lettuce, on one I/O thread of its own). Connections
 * do not reconnect by themselves and refuse commands while down: the publisher and the follower
 * notice a loss at once and decide what to do (reconcile, tell clients). Keys are UTF-8 strings,
 * values raw bytes.
 */
public final class RedisLink implements AutoCloseable {

  /** Keys as UTF-8 text, values as the bytes given (encoded envelopes, decimal numbers). */
  static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /** How long one command may take before the link counts as lost. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

  private final RedisURI uri;
  private final ClientResources resources;
  private final RedisClient client;

  private RedisLink(RedisURI uri) {
    this.uri = uri;
    this.resources =
        DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(false)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
  }

  /**
   * A link to {@code url} ({@code redis://[:password@]host[:port][/db]}, or {@code rediss://} for
   * TLS); nothing is connected yet.
   *
   * @throws IllegalArgumentException when the URL is not a Redis URL
   */
  public static RedisLink of(String url) {
    if (url == null || !(url.startsWith("redis://") || url.startsWith("rediss://"))) {
      throw new IllegalArgumentException(
          "--redis must be a redis:// or rediss:// URL, got '" + url + "'");
    }
    RedisURI uri;
    try {
      uri = RedisURI.create(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--redis is not a Redis URL: " + e.getMessage());
    }
    uri.setTimeout(COMMAND_TIMEOUT);
    return new RedisLink(uri);
  }

  /** host:port, for logs and /health (no password). */
  public String where() {
    return uri.getHost() + ":" + uri.getPort();
  }

  /** A new connection; throws a Lettuce RedisException when the server cannot be reached. */
  StatefulRedisConnection<String, byte[]> connect() {
    return client.connect(CODEC);
  }

  /** A new pub/sub connection. */
  StatefulRedisPubSubConnection<String, byte[]> connectPubSub() {
    return client.connectPubSub(CODEC);
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    resources.shutdown(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }
}
