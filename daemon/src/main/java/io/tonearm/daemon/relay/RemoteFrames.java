package io.tonearm.daemon.relay;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tonearm.daemon.events.FrameSource;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay's frame lane: the frame sources of its {@code FrameStreams}, fed from the origin through
 * Redis pub/sub. A view a client of the relay watches is normalized and costed by the origin's own
 * rules (the same classes), leased to the origin through Redis ({@code tonearm:{zone}:views} and
 * {@code view-leases}, renewed every second while it is rendered here), rendered once there per
 * tick for every relay, and published on {@code tonearm:{zone}:frames:<view key>}. Each tick of the
 * relay's stream takes the newest frame that arrived since the last (latest wins; nothing is
 * replayed), so a frame waits at most one of the relay's ticks; each arrival is told to the frame
 * streams, whose ticks follow the arrivals to half a period after them ({@link
 * FrameStreams#arrived}).
 *
 * <p>The subscription and the lease writer run on one thread of their own, reconnecting when Redis
 * returns; {@link FrameSource#render} runs on the relay's frame ticker and never blocks.
 */
public final class RemoteFrames implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RemoteFrames.class);

  /** How long the origin keeps rendering a view after the relay's last renewal. */
  static final long LEASE_MS = 10_000;

  /** A view this relay rendered within this long is renewed. */
  static final long WANTED_NANOS = TimeUnit.SECONDS.toNanos(3);

  /** One view this relay's clients watch. */
  private static final class Want {
    final FrameView view;
    volatile long renderedNanos = System.nanoTime();
    volatile byte[] latest;
    volatile boolean fresh;

    Want(FrameView view) {
      this.view = view;
    }
  }

  private final RedisLink link;
  private final String zone;
  private final Map<String, Want> wants = new ConcurrentHashMap<>();
  private final FrameStreams streams;
  private final Map<Topic, FrameSource> sources = new EnumMap<>(Topic.class);
  private final AtomicLong received = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param normalizers the origin's frame sources by topic, used here only to normalize and cost
   *     views (never to render)
   * @param streams the relay's frame streams, told when each frame arrives so that their ticks
   *     follow the origin's (null: not told)
   */
  public RemoteFrames(
      RedisLink link, String zone, Map<Topic, FrameSource> normalizers, FrameStreams streams) {
    this.link = link;
    this.streams = streams;
    this.zone = zone;
    for (Map.Entry<Topic, FrameSource> e : normalizers.entrySet()) {
      FrameSource n = e.getValue();
      sources.put(
          e.getKey(),
          new FrameSource() {
            @Override
            public FrameView normalize(FrameView requested) {
              return n.normalize(requested);
            }

            @Override
            public long frameCost(FrameView view) {
              return n.frameCost(view);
            }

            @Override
            public Envelope.Builder render(FrameView view, long nowMicros) {
              return take(view);
            }
          });
    }
    this.thread = new Thread(this::run, "tonearm-redis-frames-" + zone);
    thread.setDaemon(true);
  }

  /** The sources to register with the relay's frame streams, by topic. */
  public Map<Topic, FrameSource> sources() {
    return sources;
  }

  public void start() {
    thread.start();
  }

  /** Frames received from Redis so far. */
  public long received() {
    return received.get();
  }

  /** Views leased to the origin now. */
  public int views() {
    return wants.size();
  }

  /** The newest frame of {@code view} not rendered yet, or null; marks the view as wanted. */
  private Envelope.Builder take(FrameView view) {
    String key = FramePublisher.keyOf(view);
    Want w = wants.computeIfAbsent(key, k -> new Want(view));
    w.renderedNanos = System.nanoTime();
    if (!w.fresh) {
      return null;
    }
    w.fresh = false;
    try {
      return Envelope.parseFrom(w.latest).toBuilder();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return null;
    }
  }

  private void run() {
    StatefulRedisConnection<String, byte[]> conn = null;
    StatefulRedisPubSubConnection<String, byte[]> sub = null;
    String prefix = StreamFormat.frames(zone, "");
    while (!closed) {
      try {
        if (sub == null || !sub.isOpen() || conn == null || !conn.isOpen()) {
          close(conn, sub);
          conn = link.connect();
          sub = link.connectPubSub();
          sub.addListener(
              new RedisPubSubAdapter<String, byte[]>() {
                @Override
                public void message(String pattern, String channel, byte[] message) {
                  Want w = wants.get(channel.substring(prefix.length()));
                  if (w != null) {
                    w.latest = message;
                    w.fresh = true;
                    received.incrementAndGet();
                    if (streams != null) {
                      streams.arrived(w.view.getFps(), System.nanoTime());
                    }
                  }
                }
              });
          sub.sync().psubscribe(prefix + "*");
        }
        renew(conn);
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        log.debug("frames from Redis at {}: {}", link.where(), e.toString());
        close(conn, sub);
        conn = null;
        sub = null;
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          break;
        }
      }
    }
    close(conn, sub);
  }

  /** Renews the leases of the views rendered lately and forgets the others. */
  private void renew(StatefulRedisConnection<String, byte[]> conn) {
    long now = System.nanoTime();
    Map<String, byte[]> views = new HashMap<>();
    java.util.List<ScoredValue<byte[]>> leases = new java.util.ArrayList<>();
    long expiry = System.currentTimeMillis() + LEASE_MS;
    for (Map.Entry<String, Want> e : wants.entrySet()) {
      if (now - e.getValue().renderedNanos > WANTED_NANOS) {
        wants.remove(e.getKey());
        continue;
      }
      views.put(e.getKey(), e.getValue().view.toByteArray());
      leases.add(ScoredValue.just(expiry, StreamFormat.bytes(e.getKey())));
    }
    if (!views.isEmpty()) {
      conn.sync().hset(StreamFormat.views(zone), views);
      @SuppressWarnings("unchecked")
      ScoredValue<byte[]>[] all = leases.toArray(new ScoredValue[0]);
      conn.sync().zadd(StreamFormat.viewLeases(zone), all);
    }
  }

  private static void close(AutoCloseable... cs) {
    for (AutoCloseable c : cs) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // already gone
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
