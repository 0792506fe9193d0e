package io.tonearm.daemon.relay;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.MirrorLog;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.ZoneCause;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay's reader of one zone's stream: appends the origin's events to the {@link MirrorLog} in
 * seq order, exactly once, and hands it the snapshot cuts. On every (re)connect it reads the stream
 * from its start (entries it has are skipped by seq) and the snapshot hash, so a relay that starts,
 * or comes back after Redis was away, has the origin's history as far as the stream keeps it.
 *
 * <p>Continuity: each event entry names the seq of the one before it in the stream ({@code p}). An
 * entry that follows the mirror's head is appended; one that does not (the stream was trimmed past
 * this relay, or the origin marked a gap, {@code p = -1}) starts the history over there, and a new
 * epoch starts it over in that epoch.
 *
 * <p>Its own thread blocks on Redis; listeners are told on it.
 */
public final class StreamFollower implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamFollower.class);

  /** Entries read per call. */
  static final int BATCH = 1024;

  /** How long one XREAD waits for new entries, in ms. */
  static final long BLOCK_MS = 500;

  /** Told on the follower's thread; must only schedule work. */
  public interface Listener {
    /** Redis answered again (or for the first time). */
    void found();

    /** Redis stopped answering: the mirror is no longer fed. */
    void lost(String why);

    /**
     * The stream's zone was removed at the origin: its {@code ZoneChanged} REMOVED event, the
     * stream's last, is in the mirror. The follower stops reading.
     */
    void removed();

    /**
     * A {@code ZoneChanged} event of zone {@code id} was appended (every zone's stream carries them
     * all, in the origin's order): the zone exists after it unless {@code exists} is false (it was
     * removed).
     */
    void zoneChanged(String id, boolean exists);
  }

  private final RedisLink link;
  private final MirrorLog mirror;
  private final String zone;
  private final String key;
  private final String hashKey;
  private final Listener listener;
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean up;
  private volatile long lagMicros;
  private volatile long streamSeq;
  private final AtomicLong losses = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong restarts = new AtomicLong();

  /**
   * Id of the newest stream entry applied to the mirror (and told to the listener): everything up
   * to it is in; "0-0" before the first. Only grows, also across reconnects.
   */
  private volatile String appliedId = "0-0";

  private volatile boolean holding;
  private volatile boolean held;

  // Follower thread only.
  private StatefulRedisConnection<String, byte[]> conn;
  private Map<String, byte[]> pendingHash;
  private long pendingHashAt;
  private boolean removed;

  public StreamFollower(RedisLink link, MirrorLog mirror, String zone, Listener listener) {
    this.link = link;
    this.mirror = mirror;
    this.zone = zone;
    this.key = StreamFormat.events(zone);
    this.hashKey = StreamFormat.snapshot(zone);
    this.listener = listener;
    this.thread = new Thread(this::run, "tonearm-redis-follow-" + zone);
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** True while Redis answers. */
  public boolean up() {
    return up;
  }

  /**
   * The newest event's age when it was appended: this relay's clock minus the origin's {@code
   * server_time_us} of that event, in microseconds (clocks are assumed in step).
   */
  public long lagMicros() {
    return lagMicros;
  }

  /** Events the stream holds beyond the mirror's head, as of the last check (once a second). */
  public long behind() {
    return Math.max(0, streamSeq - mirror.currentSeq());
  }

  /**
   * Id of the newest stream entry this follower has applied (its events in the mirror, its {@code
   * ZoneChanged} told to the listener), "0-0" before any: a reader of the stream after it sees what
   * this follower has not.
   */
  public String appliedId() {
    return appliedId;
  }

  /**
   * Tests: {@code true} stops reading new entries after the read under way (a relay behind the
   * stream), {@code false} goes on. {@link #holding()} says when it stopped.
   */
  public void hold(boolean on) {
    holding = on;
  }

  /** Tests: true once a {@link #hold} has taken effect (nothing more is read until it ends). */
  public boolean holding() {
    return held;
  }

  /** Times Redis was lost. */
  public long losses() {
    return losses.get();
  }

  /**
   * Times a read failed while following (a command past {@link RedisLink#COMMAND_TIMEOUT}: a
   * starved CPU or a Redis that paused; a dropped connection) and was retried at once on a new
   * connection before telling the clients; when that fails too it is also a {@link #losses loss}.
   */
  public long retries() {
    return retries.get();
  }

  /** Times the history started over (gaps and new epochs). */
  public long restarts() {
    return restarts.get();
  }

  private void run() {
    long backoff = 100;
    boolean retrying = false; // reconnecting at once after a failed read, the clients untold
    while (!closed) {
      try {
        conn = link.connect();
        RedisCommands<String, byte[]> redis = conn.sync();
        pendingHash = redis.hgetall(hashKey);
        pendingHashAt = System.nanoTime();
        String last = "0-0";
        // The whole stream first (XRANGE pages), then new entries as they come (XREAD).
        while (true) {
          List<StreamMessage<String, byte[]>> page =
              redis.xrange(
                  key,
                  Range.from(Range.Boundary.excluding(last), Range.Boundary.unbounded()),
                  Limit.from(BATCH));
          if (page.isEmpty()) {
            break;
          }
          last = apply(page);
        }
        up = true;
        backoff = 100;
        if (retrying) {
          retrying = false;
          log.info(
              "zone {}: Redis at {} answers again; the clients were not told", zone, link.where());
        }
        log.info(
            "following zone {} at Redis {}: epoch {}, seq {}",
            zone,
            link.where(),
            mirror.epoch(),
            mirror.currentSeq());
        listener.found();
        long checked = 0;
        while (!closed) {
          while (holding && !closed) {
            held = true;
            sleep(5);
          }
          held = false;
          List<StreamMessage<String, byte[]>> got =
              redis.xread(
                  XReadArgs.Builder.block(BLOCK_MS).count(BATCH),
                  XReadArgs.StreamOffset.from(key, last));
          if (got != null && !got.isEmpty()) {
            last = apply(got);
          }
          if (removed) {
            log.info("zone {} was removed at the origin: no longer followed", zone);
            closed = true;
            up = false;
            listener.removed();
            break;
          }
          if (!mirror.ready() && System.nanoTime() - pendingHashAt > TimeUnit.SECONDS.toNanos(1)) {
            pendingHash = redis.hgetall(hashKey);
            pendingHashAt = System.nanoTime();
            applyHash();
            mirror.flush();
          }
          if (System.nanoTime() - checked > TimeUnit.SECONDS.toNanos(1)) {
            checked = System.nanoTime();
            streamSeq = newestSeq(redis);
          }
        }
      } catch (RuntimeException e) {
        if (closed) {
          break;
        }
        closeConnection();
        if (up && !retrying) {
          // One reconnect at once before telling the clients: a read that timed out under a
          // starved CPU lost nothing (the stream is read again from its start, what the mirror
          // has is skipped by seq), and closing every socket with 4010 would make them all
          // reconnect and start over. Only a failed reconnect is a loss.
          retrying = true;
          retries.incrementAndGet();
          log.info("zone {}: Redis at {} failed a read ({}); reconnecting", zone, link.where(), e);
          continue;
        }
        retrying = false;
        if (up) {
          losses.incrementAndGet();
          log.warn("lost Redis at {}: {}", link.where(), e.toString());
          up = false;
          listener.lost(e.toString());
        } else {
          log.debug("Redis at {} not reachable: {}", link.where(), e.toString());
        }
        closeConnection();
        sleep(backoff);
        backoff = Math.min(2000, backoff * 2);
      }
    }
    closeConnection();
  }

  private long newestSeq(RedisCommands<String, byte[]> redis) {
    for (StreamMessage<String, byte[]> m :
        redis.xrevrange(key, Range.unbounded(), Limit.from(16))) {
      byte[] seq = m.getBody().get(StreamFormat.SEQ);
      if (Arrays.equals(m.getBody().get(StreamFormat.KIND), StreamFormat.EVENT)
          && Arrays.equals(m.getBody().get(StreamFormat.EPOCH), StreamFormat.bytes(mirror.epoch()))
          && seq != null) {
        return StreamFormat.number(seq);
      }
    }
    return mirror.currentSeq();
  }

  /** Applies a batch of entries in order; returns the id of the last. */
  private String apply(List<StreamMessage<String, byte[]>> entries) {
    String last = null;
    boolean any = false;
    for (StreamMessage<String, byte[]> m : entries) {
      last = m.getId();
      Map<String, byte[]> b = m.getBody();
      byte[] kind = b.get(StreamFormat.KIND);
      if (Arrays.equals(kind, StreamFormat.EVENT)) {
        any |= event(b);
      } else if (Arrays.equals(kind, StreamFormat.CUT)) {
        cut(b);
      }
      applyHash();
    }
    if (any || mirror.ready()) {
      mirror.flush();
    }
    if (last != null && StreamFormat.idAfter(last, appliedId)) {
      appliedId = last;
    }
    return last;
  }

  /** One event entry; true when it was appended. */
  private boolean event(Map<String, byte[]> b) {
    String epoch = StreamFormat.text(b.get(StreamFormat.EPOCH));
    long seq = StreamFormat.number(b.get(StreamFormat.SEQ));
    long prev = StreamFormat.number(b.get(StreamFormat.PREV));
    Topic topic = Topic.byWireName(StreamFormat.text(b.get(StreamFormat.TOPIC))).orElse(null);
    byte[] body = b.get(StreamFormat.BODY);
    if (!epoch.equals(mirror.epoch())) {
      restarts.incrementAndGet();
      mirror.restart(epoch, prev >= 0 ? prev : seq - 1);
    } else if (seq <= mirror.currentSeq()) {
      return false; // had it already (a re-read after a reconnect)
    } else if (prev != mirror.currentSeq()) {
      restarts.incrementAndGet();
      log.warn(
          "zone {}: the stream has a gap after seq {} (next is {}); history starts over",
          zone,
          mirror.currentSeq(),
          seq);
      mirror.restart(epoch, prev >= 0 && prev > mirror.currentSeq() ? prev : seq - 1);
    }
    Envelope env;
    try {
      env = Envelope.parseFrom(body);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("undecodable event " + seq + " in " + key, e);
    }
    if (topic == Topic.ZONES && env.hasZones()) {
      // Told before the event is in the mirror: whoever sees its seq there knows the zone.
      listener.zoneChanged(
          env.getZones().getZone().getId(),
          env.getZones().getCause() != ZoneCause.ZONE_CAUSE_REMOVED);
    }
    mirror.append(EncodedEvent.ofEncoded(seq, topic, env, body));
    // The zone's last event so far says REMOVED (one made again later has newer events).
    removed =
        topic == Topic.ZONES
            && zone.equals(env.getZone())
            && env.getZones().getCause() == ZoneCause.ZONE_CAUSE_REMOVED;
    lagMicros = Math.max(0, mirror.clockMicros() - env.getServerTimeUs());
    return true;
  }

  /** A cut entry: applied when it belongs to the mirror's epoch and is full or follows one. */
  private void cut(Map<String, byte[]> b) {
    if (!StreamFormat.text(b.get(StreamFormat.EPOCH)).equals(mirror.epoch())) {
      return;
    }
    long at = StreamFormat.number(b.get(StreamFormat.SEQ));
    if (at < mirror.oldestSeq() - 1) {
      return;
    }
    mirror.cut(at, snapshots(b), "1".equals(StreamFormat.text(b.get(StreamFormat.FULL))));
  }

  /** The start-up hash's full cut, once the mirror has reached the seq it is current at. */
  private void applyHash() {
    if (pendingHash == null || mirror.ready()) {
      pendingHash = null;
      return;
    }
    byte[] epoch = pendingHash.get(StreamFormat.EPOCH);
    byte[] seq = pendingHash.get(StreamFormat.SEQ);
    if (epoch == null || seq == null || !StreamFormat.text(epoch).equals(mirror.epoch())) {
      return;
    }
    long at = StreamFormat.number(seq);
    if (at > mirror.currentSeq() || at < mirror.oldestSeq() - 1) {
      return;
    }
    mirror.cut(at, snapshots(pendingHash), true);
    pendingHash = null;
  }

  private static Map<EventHub.Key, EncodedEvent> snapshots(Map<String, byte[]> fields) {
    Map<EventHub.Key, EncodedEvent> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, byte[]> f : fields.entrySet()) {
      if (!f.getKey().startsWith(StreamFormat.SNAPSHOT_PREFIX)) {
        continue;
      }
      String name = f.getKey().substring(StreamFormat.SNAPSHOT_PREFIX.length());
      int at = name.indexOf('@');
      Topic t = at < 0 ? null : Topic.byWireName(name.substring(0, at)).orElse(null);
      if (t == null) {
        continue; // a topic this version does not know
      }
      try {
        out.put(
            new EventHub.Key(t, name.substring(at + 1)),
            new EncodedEvent(0, t, Envelope.parseFrom(f.getValue())));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalStateException("undecodable snapshot of " + t.wireName(), e);
      }
    }
    return out;
  }

  private void closeConnection() {
    if (conn != null) {
      try {
        conn.close();
      } catch (RuntimeException ignored) {
        // already gone
      }
      conn = null;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
    closeConnection();
  }
}
