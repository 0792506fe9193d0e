package io.tonearm.daemon.relay;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.ZoneCause;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin's side of the zones' streams: copies every state event from the hub's history into the
 * stream of each zone it belongs to ({@code tonearm:{zone}:events}: the already-encoded envelope,
 * its epoch and seq; see {@link ZoneStream} for which events a zone's stream carries), and after
 * them, per zone, a snapshot cut of the topics that changed, at most every {@link #MIN_CUT_NANOS}
 * (more rarely for large snapshots, see {@link #CUT_BYTES_PER_SECOND}). Each stream is trimmed to
 * about the newest {@code maxEvents} entries and {@code maxBytes} of events.
 *
 * <p>A zone's stream is opened when the publisher meets the zone (the zones that exist when it
 * connects or at any round, and any event of a zone that exists) and closed after the zone's {@code
 * ZoneChanged} REMOVED event, which it carries last. Shared events (library, playlists, jobs,
 * settings) and topic {@code zones} go into every open zone's stream: at most {@code
 * Zones.MAX_ZONES} writes of one event.
 *
 * <p>One thread reads the hub's history by seq, like a socket does, so the hub never waits for
 * Redis. While Redis is unreachable the daemon goes on; when it returns, the publisher reads the
 * newest event each stream holds and carries on after it: from its own history when the missed
 * events are still there (nothing lost, same epoch), else after a gap marker ({@code p = -1}):
 * relays end their history there and a client resuming from before the gap gets snapshots. The
 * epoch never changes because of Redis.
 */
public final class StreamPublisher implements EventHub.Listener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamPublisher.class);

  /** Shortest time between two snapshot cuts of a zone. */
  static final long MIN_CUT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * Snapshot bytes a second a zone's cuts may write: a cut of N bytes waits N / this before the
   * next (a 1 MB queue snapshot is cut at most once a second while it keeps changing).
   */
  static final long CUT_BYTES_PER_SECOND = 1 << 20;

  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);

  /**
   * Longest wait of {@link #inRedis}, in ms: a reply that waits for its event to be in Redis goes
   * out after at most this, confirmed or not.
   */
  public static final long CONFIRM_TIMEOUT_MS = 1_000;

  private final RedisLink link;
  private final EventHub hub;
  private final Supplier<Collection<String>> zones;
  private final Predicate<String> exists;
  private final int maxEvents;
  private final long maxBytes;
  private final Thread thread;
  private volatile boolean closed;

  // Publisher thread only.
  private StatefulRedisConnection<String, byte[]> conn;
  private final Map<String, ZoneStream> streams = new LinkedHashMap<>();
  private long next = 1; // next seq to copy
  private Map<EventHub.Key, EncodedEvent> seen = Map.of(); // the hub's snapshots last round

  private volatile boolean up;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong losses = new AtomicLong();
  private volatile long publishedSeq;
  private volatile int open;

  /** {@link #inRedis} waits: each completes once {@link #publishedSeq} reaches its seq. */
  private final java.util.concurrent.ConcurrentLinkedQueue<Confirm> confirms =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private final AtomicLong unconfirmed = new AtomicLong();

  private record Confirm(long seq, CompletableFuture<Boolean> done) {}

  /**
   * @param zones the zones that exist now (read at each round; any thread's view will do)
   * @param exists whether a zone exists now (an event of a zone that does not, such as its player
   *     stopping after its removal, opens no stream)
   * @param maxEvents trim bound of each stream in entries (approximate, as Redis trims whole nodes)
   * @param maxBytes trim bound of each stream in encoded event bytes (approximate)
   */
  public StreamPublisher(
      RedisLink link,
      EventHub hub,
      Supplier<Collection<String>> zones,
      Predicate<String> exists,
      int maxEvents,
      long maxBytes) {
    this.link = link;
    this.hub = hub;
    this.zones = zones;
    this.exists = exists;
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.thread = new Thread(this::run, "tonearm-redis-publish");
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

  /** Seq of the newest event copied to the streams. */
  public long publishedSeq() {
    return publishedSeq;
  }

  /**
   * Completes with true once every event up to {@code seq} is in the zones' streams in Redis
   * (written and acknowledged; a relay that reads the stream from then on sees it), or with false
   * at once while Redis is not reachable and after {@link #CONFIRM_TIMEOUT_MS} otherwise (counted
   * in {@link #unconfirmed}). Never completes exceptionally; any thread; does not block. Completed
   * on the publisher's thread or a timer's: callers must only schedule work.
   */
  public CompletionStage<Boolean> inRedis(long seq) {
    if (publishedSeq >= seq) {
      return CompletableFuture.completedFuture(true);
    }
    if (!up || closed) {
      unconfirmed.incrementAndGet();
      return CompletableFuture.completedFuture(false);
    }
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    Confirm c = new Confirm(seq, done);
    confirms.add(c);
    // Checked again after the add: the publisher sets publishedSeq (or up) before it looks at the
    // waits, so either it sees this one or this sees its new value.
    if (publishedSeq >= seq) {
      done.complete(true);
    } else if (!up || closed) {
      done.complete(false);
    }
    done.completeOnTimeout(false, CONFIRM_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    return done.whenComplete(
        (ok, err) -> {
          confirms.remove(c);
          if (!Boolean.TRUE.equals(ok)) {
            unconfirmed.incrementAndGet();
          }
        });
  }

  /**
   * {@link #inRedis} waits that ended without their event in Redis (Redis down, or not confirmed
   * within {@link #CONFIRM_TIMEOUT_MS}).
   */
  public long unconfirmed() {
    return unconfirmed.get();
  }

  /** Completes the waits {@link #publishedSeq} has reached, or all of them with false when down. */
  private void confirm() {
    if (confirms.isEmpty()) {
      return;
    }
    long at = publishedSeq;
    boolean down = !up || closed;
    for (Confirm c : confirms) {
      if (c.seq() <= at) {
        c.done().complete(true);
      } else if (down) {
        c.done().complete(false);
      }
    }
  }

  /** Events the hub has that the streams do not yet (0 while caught up). */
  public long behind() {
    return Math.max(0, hub.currentSeq() - publishedSeq);
  }

  /** Stream entries (events and cuts, all zones) written so far. */
  public long published() {
    return published.get();
  }

  /** Gap markers written (events a stream never got). */
  public long gaps() {
    return gaps.get();
  }

  /** Times Redis was lost. */
  public long losses() {
    return losses.get();
  }

  /** Zone streams written to now. */
  public int streams() {
    return open;
  }

  private void run() {
    long backoff = TimeUnit.MILLISECONDS.toNanos(100);
    while (!closed) {
      try {
        if (conn == null) {
          conn = link.connect();
          reconnected();
          up = true;
          backoff = TimeUnit.MILLISECONDS.toNanos(100);
          log.info(
              "publishing {} zone(s) to Redis at {} from seq {}",
              streams.size(),
              link.where(),
              next);
        }
        copy();
        confirm();
        LockSupport.parkNanos(this, MIN_CUT_NANOS);
      } catch (RuntimeException e) {
        if (closed) {
          break;
        }
        if (up) {
          losses.incrementAndGet();
          log.warn(
              "lost Redis at {} ({}); the daemon goes on and catches the streams up when it"
                  + " returns",
              link.where(),
              e.toString());
        }
        up = false;
        confirm();
        dropConnection();
        LockSupport.parkNanos(this, backoff);
        backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
      }
    }
    dropConnection();
    confirm();
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
   * Finds where each existing zone's stream stands, and copies from the lowest of them; streams
   * further along skip what they hold.
   */
  private void reconnected() {
    streams.clear();
    long from = Long.MAX_VALUE;
    for (String z : zones.get()) {
      ZoneStream zs = openStream(z, -1);
      from = Math.min(from, zs.next);
    }
    next = from == Long.MAX_VALUE ? Math.max(next, hub.oldestSeq()) : from;
    seen = Map.of();
    open = streams.size();
  }

  /**
   * Opens a zone's stream: the newest event entry of this epoch says which seq comes next. Another
   * epoch's stream (an earlier run) or an empty one is written from the oldest event still in the
   * hub's history at a (re)connect ({@code at < 0}: a Redis that lost its data gets the history
   * again), else (a zone met at seq {@code at}, made now) from {@code at} after a gap marker.
   */
  private ZoneStream openStream(String zone, long at) {
    ZoneStream zs = new ZoneStream(zone, maxEvents, maxBytes);
    List<StreamMessage<String, byte[]>> tail =
        conn.sync().xrevrange(zs.key, Range.unbounded(), Limit.from(256));
    long last = -1;
    for (StreamMessage<String, byte[]> m : tail) {
      Map<String, byte[]> b = m.getBody();
      if (Arrays.equals(b.get(StreamFormat.KIND), StreamFormat.EVENT)) {
        if (hub.epoch().equals(StreamFormat.text(b.get(StreamFormat.EPOCH)))) {
          last = StreamFormat.number(b.get(StreamFormat.SEQ));
        }
        break;
      }
    }
    if (last >= 0) {
      zs.next = last + 1;
      zs.prev = last;
    } else if (at < 0) {
      zs.next = hub.oldestSeq();
      zs.prev = zs.next == 1 ? 0 : -1;
    } else {
      zs.next = at;
      zs.prev = -1;
    }
    if (zs.next < hub.oldestSeq()) {
      zs.next = hub.oldestSeq();
      zs.prev = -1;
    }
    streams.put(zone, zs);
    return zs;
  }

  /** Copies the events since the last round and, when due, each zone's cut; waits for Redis. */
  private void copy() {
    EventHub.Cut cut = hub.cut();
    RedisAsyncCommands<String, byte[]> redis = conn.async();
    List<RedisFuture<?>> pending = new ArrayList<>();
    for (String z : zones.get()) {
      if (!streams.containsKey(z)) {
        // A zone that published nothing yet (made now, or opened after the connect).
        catchUp(openStream(z, next), next, redis, pending);
      }
    }
    long s = next;
    while (s <= cut.seq()) {
      EncodedEvent e = hub.event(s);
      if (e == null) {
        // Left the history before it was copied: the streams have a gap here.
        s = Math.max(s + 1, hub.oldestSeq());
        for (ZoneStream zs : streams.values()) {
          zs.next = Math.max(zs.next, s);
          zs.prev = -1;
        }
        continue;
      }
      String zone = e.zone();
      if (!zone.isEmpty() && !streams.containsKey(zone) && exists.test(zone)) {
        catchUp(openStream(zone, s), s, redis, pending);
      }
      if (zone.isEmpty() || e.topic() == Topic.ZONES) {
        for (ZoneStream zs : streams.values()) {
          write(zs, e, redis, pending);
        }
      } else {
        ZoneStream zs = streams.get(zone);
        if (zs != null) {
          write(zs, e, redis, pending);
        }
      }
      if (e.topic() == Topic.ZONES
          && e.envelope().getZones().getCause() == ZoneCause.ZONE_CAUSE_REMOVED) {
        streams.remove(zone); // its REMOVED event is its stream's last entry
      }
      s++;
    }
    next = cut.seq() + 1;
    for (ZoneStream zs : streams.values()) {
      zs.next = Math.max(zs.next, next);
    }
    cuts(cut, redis, pending);
    for (RedisFuture<?> f : pending) {
      try {
        f.get(RedisLink.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", ex);
      } catch (ExecutionException | TimeoutException ex) {
        throw new IllegalStateException("Redis write failed: " + ex.getCause(), ex);
      }
    }
    published.addAndGet(pending.size());
    publishedSeq = cut.seq();
    open = streams.size();
  }

  /**
   * A zone met again (made once more after its removal, in this epoch) whose stream ends before
   * {@code upTo}: writes what it missed from the history, or marks the gap.
   */
  private void catchUp(
      ZoneStream zs, long upTo, RedisAsyncCommands<String, byte[]> redis, List<RedisFuture<?>> p) {
    for (long s = zs.next; s < upTo; s++) {
      EncodedEvent e = hub.event(s);
      if (e == null) {
        zs.prev = -1;
      } else {
        write(zs, e, redis, p);
      }
    }
    zs.next = Math.max(zs.next, upTo);
  }

  /** Writes {@code e} into {@code zs}'s stream when it belongs there and is not there yet. */
  private void write(
      ZoneStream zs,
      EncodedEvent e,
      RedisAsyncCommands<String, byte[]> redis,
      List<RedisFuture<?>> p) {
    if (e.seq() < zs.next || !zs.carries(e.topic(), e.zone())) {
      return;
    }
    if (zs.prev == -1) {
      gaps.incrementAndGet();
    }
    Map<String, byte[]> body = new LinkedHashMap<>();
    body.put(StreamFormat.KIND, StreamFormat.EVENT);
    body.put(StreamFormat.EPOCH, StreamFormat.bytes(hub.epoch()));
    body.put(StreamFormat.SEQ, StreamFormat.number(e.seq()));
    body.put(StreamFormat.PREV, StreamFormat.number(zs.prev));
    body.put(StreamFormat.TOPIC, StreamFormat.bytes(e.topic().wireName()));
    body.put(StreamFormat.BODY, e.binary());
    p.add(redis.xadd(zs.key, zs.trim(e.size()), body));
    zs.prev = e.seq();
    zs.next = e.seq() + 1;
  }

  /** Each zone's snapshot cut, where something it carries changed and its next cut is due. */
  private void cuts(
      EventHub.Cut cut, RedisAsyncCommands<String, byte[]> redis, List<RedisFuture<?>> pending) {
    Map<EventHub.Key, EncodedEvent> current = cut.snapshots();
    boolean changed = !current.equals(seen);
    seen = current;
    long now = System.nanoTime();
    for (ZoneStream zs : streams.values()) {
      if (changed) {
        zs.compare(current);
      }
      if (!(zs.full || !zs.dirty.isEmpty()) || now - zs.nextCutNanos < 0) {
        continue;
      }
      boolean full = zs.full;
      Map<EventHub.Key, EncodedEvent> snaps = zs.cutBody(current);
      Map<String, byte[]> body = new LinkedHashMap<>();
      body.put(StreamFormat.KIND, StreamFormat.CUT);
      body.put(StreamFormat.EPOCH, StreamFormat.bytes(hub.epoch()));
      body.put(StreamFormat.SEQ, StreamFormat.number(cut.seq()));
      body.put(StreamFormat.FULL, StreamFormat.bytes(full ? "1" : "0"));
      long bytes = 0;
      Map<String, byte[]> hash = new LinkedHashMap<>();
      for (Map.Entry<EventHub.Key, EncodedEvent> t : snaps.entrySet()) {
        body.put(StreamFormat.snapshotField(t.getKey()), t.getValue().binary());
        hash.put(StreamFormat.snapshotField(t.getKey()), t.getValue().binary());
        bytes += t.getValue().size();
      }
      pending.add(redis.xadd(zs.key, zs.trim(0), body));
      hash.put(StreamFormat.EPOCH, StreamFormat.bytes(hub.epoch()));
      hash.put(StreamFormat.SEQ, StreamFormat.number(cut.seq()));
      if (full) {
        pending.add(redis.del(zs.hashKey));
      }
      pending.add(redis.hset(zs.hashKey, hash));
      zs.cutWritten(
          snaps, full, now, Math.max(MIN_CUT_NANOS, bytes * 1_000_000_000L / CUT_BYTES_PER_SECOND));
    }
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
