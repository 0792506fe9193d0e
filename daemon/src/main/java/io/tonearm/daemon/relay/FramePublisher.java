package io.tonearm.daemon.relay;

import io.lettuce.core.Range;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.proto.v1.FrameView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin's side of the frame lane for relays: joins the frame streams of the views relays lease
 * in Redis (as if one more client watched each: the render budget applies, and a view shared with
 * the origin's own clients costs nothing more), and publishes each frame of those streams, already
 * encoded, on its view's pub/sub channel. Latest wins: pub/sub keeps nothing, and a relay that is
 * away misses what was sent meanwhile.
 *
 * <p>Every zone's leases ({@code tonearm:{ZONE}:view-leases}) are read every 500 ms on a thread of
 * its own, and a view is rendered from its zone's audio; frames are published from the frame ticker
 * without waiting (a frame Redis cannot take is dropped and counted).
 */
public final class FramePublisher implements FrameStreams.Listener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FramePublisher.class);

  private final RedisLink link;
  private final FrameStreams frames;
  private final Supplier<Collection<String>> zones;
  private final Map<FrameStreams.Stream, String> channels = new ConcurrentHashMap<>();
  private final Map<String, FrameStreams.Stream> joined = new HashMap<>(); // lease thread only
  private final Set<String> refused = new HashSet<>(); // lease thread only
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile StatefulRedisConnection<String, byte[]> conn;
  private volatile boolean closed;

  /**
   * @param zones the zones there are now (read at each poll)
   */
  public FramePublisher(RedisLink link, FrameStreams frames, Supplier<Collection<String>> zones) {
    this.link = link;
    this.frames = frames;
    this.zones = zones;
    this.thread = new Thread(this::run, "tonearm-redis-views");
    thread.setDaemon(true);
  }

  /** The key of a normalized view: base64url of the SHA-1 of its encoding (27 characters). */
  static String keyOf(FrameView normalized) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(normalized.toByteArray());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public void start() {
    frames.addListener(this);
    thread.start();
  }

  /** Frames published so far. */
  public long published() {
    return published.get();
  }

  /** Frames Redis did not take. */
  public long dropped() {
    return dropped.get();
  }

  /** Views rendered for relays now. */
  public int views() {
    return channels.size();
  }

  @Override
  public void frame(FrameStreams.Stream stream, EncodedEvent frame) {
    String channel = channels.get(stream);
    StatefulRedisConnection<String, byte[]> c = conn;
    if (channel == null || c == null) {
      return;
    }
    try {
      c.async()
          .publish(channel, frame.binary())
          .whenComplete(
              (n, err) -> {
                if (err != null) {
                  dropped.incrementAndGet();
                }
              });
      published.incrementAndGet();
    } catch (RuntimeException e) {
      dropped.incrementAndGet();
    }
  }

  private void run() {
    while (!closed) {
      try {
        if (conn == null || !conn.isOpen()) {
          conn = link.connect();
        }
        poll(conn);
        Thread.sleep(500);
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        log.debug("view leases from Redis at {}: {}", link.where(), e.toString());
        StatefulRedisConnection<String, byte[]> c = conn;
        conn = null;
        if (c != null) {
          try {
            c.close();
          } catch (RuntimeException ignored) {
            // already gone
          }
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          break;
        }
      }
    }
    joined.values().forEach(frames::leave);
    joined.clear();
    channels.clear();
  }

  /**
   * Joins the streams of newly leased views and leaves those whose lease ran out (a removed zone's
   * run out: its relays' sockets are closed). Joined streams are keyed by their channel, which
   * names the zone and the view.
   */
  private void poll(StatefulRedisConnection<String, byte[]> c) {
    long now = System.currentTimeMillis();
    Set<String> live = new HashSet<>();
    for (String zone : zones.get()) {
      String leases = StreamFormat.viewLeases(zone);
      c.sync().zremrangebyscore(leases, Range.create(Double.NEGATIVE_INFINITY, (double) now));
      for (byte[] k : c.sync().zrange(leases, 0, -1)) {
        live.add(StreamFormat.frames(zone, StreamFormat.text(k)));
      }
    }
    for (String key : List.copyOf(joined.keySet())) {
      if (!live.contains(key)) {
        FrameStreams.Stream s = joined.remove(key);
        channels.remove(s);
        frames.leave(s);
      }
    }
    refused.retainAll(live);
    for (String channel : live) {
      if (joined.containsKey(channel) || refused.contains(channel)) {
        continue;
      }
      String zone = StreamFormat.zoneOf(channel);
      String key = channel.substring(StreamFormat.frames(zone, "").length());
      byte[] view = c.sync().hget(StreamFormat.views(zone), key);
      if (view == null) {
        continue;
      }
      try {
        FrameStreams.Stream s = frames.join(zone, FrameView.parseFrom(view));
        joined.put(channel, s);
        channels.put(s, channel);
      } catch (com.google.protobuf.InvalidProtocolBufferException
          | IllegalArgumentException
          | FrameStreams.OverBudgetException e) {
        refused.add(channel);
        log.warn("a relay's view {} is not rendered: {}", channel, e.getMessage());
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
    StatefulRedisConnection<String, byte[]> c = conn;
    if (c != null) {
      c.close();
    }
  }
}
