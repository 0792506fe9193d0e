package io.tonearm.daemon.relay;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.EventHub;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin's side of one zone's stream: copies every state event of the zone from the hub's
 * history into {@code tonearm:{zone}:events} (the already-encoded envelope, its epoch and seq), and
 * after them a snapshot cut of the topics that changed, at most every {@link #MIN_CUT_NANOS} (more
 * rarely for large snapshots, see {@link #CUT_BYTES_PER_SECOND}). The stream is trimmed to about
 * the newest {@code maxEvents} entries and {@code maxBytes} of events.
 *
 * <p>Its own thread reads the hub's history by seq, like a socket does, so the hub never waits for
 * Redis. While Redis is unreachable the daemon goes on; when it returns, the publisher reads the
 * newest event the stream holds and carries on after it: from its own history when the missed
 * events are still there (nothing lost, same epoch), else after a gap marker ({@code p = -1}):
 * relays end their history there and a client resuming from before the gap gets snapshots. The
 * epoch never changes because of Redis.
 */
public final class StreamPublisher implements EventHub.Listener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamPublisher.class);

  /** Shortest time between two snapshot cuts. */
  static final long MIN_CUT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * Snapshot bytes a second the cuts may write: a cut of N bytes waits N / this before the next (a
   * 1 MB queue snapshot is cut at most once a second while it keeps changing).
   */
  static final long CUT_BYTES_PER_SECOND = 1 << 20;

  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final RedisLink link;
  private final EventHub hub;
  private final String zone;
  private final Predicate<EncodedEvent> inZone;
  private final String key;
  private final String hashKey;
  private final int maxEvents;
  private final long maxBytes;
  private final Thread thread;
  private volatile boolean closed;

  // Publisher thread only.
  private StatefulRedisConnection<String, byte[]> conn;
  private long next = 1; // next seq to copy
  private long prev; // seq of the last event entry written, -1 after a gap
  private Map<EventHub.Key, EncodedEvent> written = Map.of(); // snapshots of the last cut
  private long nextCutNanos;
  private final long[] sizes; // sizes of the newest entries, for trimming by bytes
  private int sizeHead;
  private int sizeCount;
  private long sizeSum;

  private volatile boolean up;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong losses = new AtomicLong();
  private volatile long publishedSeq;

  /**
   * @param inZone which of the hub's events belong to this zone's stream
   * @param maxEvents trim bound in stream entries (approximate, as Redis trims whole nodes)
   * @param maxBytes trim bound in encoded event bytes (approximate)
   */
  public StreamPublisher(
      RedisLink link,
      EventHub hub,
      String zone,
      Predicate<EncodedEvent> inZone,
      int maxEvents,
      long maxBytes) {
    this.link = link;
    this.hub = hub;
    this.zone = zone;
    this.inZone = inZone;
    this.key = StreamFormat.events(zone);
    this.hashKey = StreamFormat.snapshot(zone);
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.sizes = new long[maxEvents];
    this.thread = new Thread(this::run, "tonearm-redis-publish-" + zone);
    thread.setDaemon(true);
  }

  /** Starts copying; returns at once (Redis may be down). */
  public void start() {
    hub.addListener(this);
    thread.start();
  }

  @Override
  public void published(EncodedEvent event) {
    LockSupport.unpark(thread);
  }

  /** True while connected to Redis and copying. */
  public boolean up() {
    return up;
  }

  /** Seq of the newest event copied to the stream. */
  public long publishedSeq() {
    return publishedSeq;
  }

  /** Events the hub has that the stream does not yet (0 while caught up). */
  public long behind() {
    return Math.max(0, hub.currentSeq() - publishedSeq);
  }

  /** Event entries written so far. */
  public long published() {
    return published.get();
  }

  /** Gap markers written (events the stream never got). */
  public long gaps() {
    return gaps.get();
  }

  /** Times Redis was lost. */
  public long losses() {
    return losses.get();
  }

  public String zone() {
    return zone;
  }

  private void run() {
    long backoff = TimeUnit.MILLISECONDS.toNanos(100);
    while (!closed) {
      try {
        if (conn == null) {
          conn = link.connect();
          reconcile();
          up = true;
          backoff = TimeUnit.MILLISECONDS.toNanos(100);
          log.info("publishing zone {} to Redis at {} from seq {}", zone, link.where(), next);
        }
        copy();
        LockSupport.parkNanos(this, MIN_CUT_NANOS);
      } catch (RuntimeException e) {
        if (closed) {
          break;
        }
        if (up) {
          losses.incrementAndGet();
          log.warn(
              "lost Redis at {} ({}); the daemon goes on and catches the stream up when it returns",
              link.where(),
              e.toString());
        }
        up = false;
        dropConnection();
        LockSupport.parkNanos(this, backoff);
        backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
      }
    }
    dropConnection();
  }

  private void dropConnection() {
    if (conn != null) {
      try {
        conn.close();
      } catch (RuntimeException ignored) {
        // already gone
      }
      conn = null;
    }
  }

  /**
   * Finds where the stream stands: the newest event entry of this epoch says which seq comes next.
   * Another epoch's stream (an earlier run) or an empty one (a Redis that lost its data) is written
   * again from the oldest event still in the hub's history.
   */
  private void reconcile() {
    List<StreamMessage<String, byte[]>> tail =
        conn.sync().xrevrange(key, Range.unbounded(), Limit.from(256));
    long last = -1;
    for (StreamMessage<String, byte[]> m : tail) {
      Map<String, byte[]> b = m.getBody();
      if (java.util.Arrays.equals(b.get(StreamFormat.KIND), StreamFormat.EVENT)) {
        if (hub.epoch().equals(StreamFormat.text(b.get(StreamFormat.EPOCH)))) {
          last = StreamFormat.number(b.get(StreamFormat.SEQ));
        }
        break;
      }
    }
    if (last >= 0) {
      next = last + 1;
      prev = last;
    } else {
      next = hub.oldestSeq();
      prev = next == 1 ? 0 : -1;
    }
    if (next < hub.oldestSeq()) {
      next = hub.oldestSeq();
      prev = -1;
    }
    written = Map.of(); // the first cut after a (re)connect carries every topic
    nextCutNanos = 0;
  }

  /** Copies the events since the last round and, when due, a snapshot cut; waits for Redis. */
  private void copy() {
    EventHub.Cut cut = hub.cut();
    RedisAsyncCommands<String, byte[]> redis = conn.async();
    List<RedisFuture<?>> pending = new ArrayList<>();
    long s = next;
    while (s <= cut.seq()) {
      EncodedEvent e = hub.event(s);
      if (e == null) {
        // Left the history before it was copied: the stream has a gap here.
        s = Math.max(s + 1, hub.oldestSeq());
        prev = -1;
        continue;
      }
      if (inZone.test(e)) {
        if (prev == -1) {
          gaps.incrementAndGet();
        }
        Map<String, byte[]> body = new LinkedHashMap<>();
        body.put(StreamFormat.KIND, StreamFormat.EVENT);
        body.put(StreamFormat.EPOCH, StreamFormat.bytes(hub.epoch()));
        body.put(StreamFormat.SEQ, StreamFormat.number(e.seq()));
        body.put(StreamFormat.PREV, StreamFormat.number(prev));
        body.put(StreamFormat.TOPIC, StreamFormat.bytes(e.topic().wireName()));
        body.put(StreamFormat.BODY, e.binary());
        pending.add(redis.xadd(key, trim(e.size()), body));
        prev = e.seq();
      }
      s++;
    }
    long now = System.nanoTime();
    Map<EventHub.Key, EncodedEvent> changed = new HashMap<>();
    for (Map.Entry<EventHub.Key, EncodedEvent> t : cut.snapshots().entrySet()) {
      if (written.get(t.getKey()) != t.getValue()) {
        changed.put(t.getKey(), t.getValue());
      }
    }
    boolean full = written.isEmpty();
    if (!changed.isEmpty() && now - nextCutNanos >= 0) {
      Map<String, byte[]> body = new LinkedHashMap<>();
      body.put(StreamFormat.KIND, StreamFormat.CUT);
      body.put(StreamFormat.EPOCH, StreamFormat.bytes(hub.epoch()));
      body.put(StreamFormat.SEQ, StreamFormat.number(cut.seq()));
      body.put(StreamFormat.FULL, StreamFormat.bytes(full ? "1" : "0"));
      long bytes = 0;
      Map<String, byte[]> hash = new LinkedHashMap<>();
      for (Map.Entry<EventHub.Key, EncodedEvent> t : changed.entrySet()) {
        body.put(StreamFormat.snapshotField(t.getKey()), t.getValue().binary());
        hash.put(StreamFormat.snapshotField(t.getKey()), t.getValue().binary());
        bytes += t.getValue().size();
      }
      pending.add(redis.xadd(key, trim(0), body));
      hash.put(StreamFormat.EPOCH, StreamFormat.bytes(hub.epoch()));
      hash.put(StreamFormat.SEQ, StreamFormat.number(cut.seq()));
      if (full) {
        pending.add(redis.del(hashKey));
      }
      pending.add(redis.hset(hashKey, hash));
      written = cut.snapshots();
      nextCutNanos = now + Math.max(MIN_CUT_NANOS, bytes * 1_000_000_000L / CUT_BYTES_PER_SECOND);
    }
    for (RedisFuture<?> f : pending) {
      try {
        f.get(RedisLink.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("Redis write failed: " + e.getCause(), e);
      }
    }
    published.addAndGet(pending.size());
    next = cut.seq() + 1;
    publishedSeq = cut.seq();
  }

  /** XADD's trim: about the newest entries that fit both bounds, counting this one. */
  private XAddArgs trim(long size) {
    if (sizeCount == sizes.length || sizeSum + size > maxBytes) {
      while (sizeCount > 0 && (sizeCount == sizes.length || sizeSum + size > maxBytes)) {
        int oldest = Math.floorMod(sizeHead - sizeCount, sizes.length);
        sizeSum -= sizes[oldest];
        sizeCount--;
      }
    }
    sizes[sizeHead] = size;
    sizeHead = (sizeHead + 1) % sizes.length;
    sizeCount++;
    sizeSum += size;
    return XAddArgs.Builder.maxlen(sizeCount).approximateTrimming();
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
