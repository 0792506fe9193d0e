package io.tonearm.daemon.relay;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.FrameSource;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.events.MirrorLog;
import io.tonearm.daemon.events.StateLog;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.events.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A relay's zones: one {@link MirrorLog} fed by one {@link StreamFollower}, and the zone's frame
 * views ({@link RemoteFrames}, registered in the relay's frame streams for that zone), per zone it
 * serves, the default zone from the start and any other from its first socket until the zone is
 * removed at the origin or no socket has followed it for {@link #LINGER_MS} ({@link #releaseIdle}).
 * As a {@link StateLog} it is the default zone's mirror; {@link #forZone} gives a socket its
 * zone's.
 *
 * <p>Which zones exist, for a client without a token (a trusted loopback one, whose zone the origin
 * does not check): the default zone's stream carries every zone's {@code ZoneChanged}, so a zone is
 * known from the moment that stream's {@code CREATED} event is read (before the next cut) until its
 * {@code REMOVED} one; a zone no event has spoken of yet in this epoch is known when the newest cut
 * shows it on topic {@code zones}; {@link #exists} also reads what this relay has not yet. A
 * token's socket is admitted by the origin, which says whether its zone exists.
 *
 * <p>Thread-safe. Listeners are told on the followers' threads and must only schedule work.
 */
public final class ZoneMirrors implements StateLog, AutoCloseable {

  /** How long an admission waits for a zone's mirror to have its first snapshot cut. */
  static final long READY_TIMEOUT_MS = 5_000;

  private static final long READY_POLL_MS = 20;

  /**
   * How long a zone (other than the default) that no socket follows is still followed, in ms: a
   * client that reconnects within it finds the zone's history (and resumes from it); after it the
   * zone's reader, frame subscription and history (up to {@code --history-bytes}) are released.
   */
  public static final long LINGER_MS = 10_000;

  /** What the relay does when a zone's feed changes; told on a follower's thread. */
  public interface Listener {
    /** New events in {@code zone}'s mirror. */
    void appended(String zone);

    /**
     * Close {@code zone}'s sockets with {@code code} and {@code reason} after what they are owed.
     */
    void close(String zone, int code, String reason, String metricReason);
  }

  /**
   * One zone's mirror, its reader and its frames; {@code wanted} is when a socket last asked for it
   * or was seen following it ({@link System#nanoTime}).
   */
  public record Mirror(
      String zone,
      MirrorLog log,
      StreamFollower follower,
      RemoteFrames frames,
      java.util.concurrent.atomic.AtomicLong wanted) {
    /** True while the zone's stream is read and a snapshot cut is in: sockets can start. */
    public boolean serving() {
      return follower.up() && log.ready();
    }
  }

  private final RedisLink link;
  private final int historyEvents;
  private final long historyBytes;
  private final LongSupplier clockMicros;
  private final Listener listener;
  private final FrameStreams frameStreams;
  private final Map<Topic, FrameSource> frameRules;
  private final ScheduledExecutorService timer;
  private final ConcurrentHashMap<String, Mirror> mirrors = new ConcurrentHashMap<>();

  /**
   * Each zone the default zone's stream has carried a {@code ZoneChanged} of in this epoch: true
   * while it exists (its last one was not REMOVED). Written by the default zone's follower only.
   */
  private final ConcurrentHashMap<String, Boolean> streamZones = new ConcurrentHashMap<>();

  private final Mirror main;
  private volatile boolean closed;

  /**
   * The connection {@link #exists} reads the stream on; opened on first use, again after a failure.
   */
  private volatile CompletableFuture<StatefulRedisConnection<String, byte[]>> reader;

  /**
   * @param historyEvents each zone mirror's history bound in seqs (the origin's seqs, other zones'
   *     included, as the origin's own history counts them)
   * @param historyBytes each zone mirror's history bound in encoded bytes
   * @param frameStreams where each zone's frame sources are registered
   * @param frameRules how views of each frame topic are normalized and costed (the origin's rules)
   * @param timer polls admissions that wait for a zone's first cut
   */
  public ZoneMirrors(
      RedisLink link,
      int historyEvents,
      long historyBytes,
      LongSupplier clockMicros,
      FrameStreams frameStreams,
      Map<Topic, FrameSource> frameRules,
      ScheduledExecutorService timer,
      Listener listener) {
    this.link = link;
    this.frameStreams = frameStreams;
    this.frameRules = frameRules;
    this.historyEvents = historyEvents;
    this.historyBytes = historyBytes;
    this.clockMicros = clockMicros;
    this.timer = timer;
    this.listener = listener;
    this.main = mirror(ZoneId.DEFAULT);
  }

  /**
   * The zone's mirror, following it from now on when it was not yet; marks it wanted now (see
   * {@link #releaseIdle}).
   */
  public Mirror mirror(String zone) {
    long now = System.nanoTime();
    return mirrors.compute(
        zone,
        (z, m) -> {
          Mirror out = m != null ? m : follow(z);
          out.wanted().set(now);
          return out;
        });
  }

  private Mirror follow(String zone) {
    MirrorLog log = new MirrorLog(historyEvents, historyBytes, clockMicros);
    log.addListener(
        new MirrorLog.Listener() {
          @Override
          public void appended() {
            listener.appended(zone);
          }

          @Override
          public void restarted(boolean newEpoch) {
            if (newEpoch && ZoneId.DEFAULT.equals(zone)) {
              streamZones.clear(); // the new epoch's events say again what exists
            }
            if (newEpoch) {
              listener.close(
                  zone,
                  io.tonearm.daemon.transport.ws.CloseCodes.ORIGIN_RESTARTED,
                  "the origin restarted (new epoch); reconnect for snapshots",
                  "origin_restarted");
            } else {
              listener.appended(zone);
            }
          }
        });
    StreamFollower[] self = new StreamFollower[1];
    self[0] =
        new StreamFollower(
            link,
            log,
            zone,
            new StreamFollower.Listener() {
              @Override
              public void found() {}

              @Override
              public void lost(String why) {
                listener.close(
                    zone,
                    io.tonearm.daemon.transport.ws.CloseCodes.RELAY_LOST_FEED,
                    "relay lost Redis; reconnect to another relay or the origin and resume",
                    "relay_lost_feed");
              }

              @Override
              public void removed() {
                Mirror gone = mirrors.get(zone);
                if (gone != null && gone.follower() == self[0]) {
                  mirrors.remove(zone, gone);
                  frameStreams.unregister(zone);
                  gone.frames().close();
                }
                listener.close(
                    zone,
                    io.tonearm.daemon.transport.ws.CloseCodes.ZONE_REMOVED,
                    "zone '" + zone + "' was removed",
                    "zone_removed");
              }

              @Override
              public void zoneChanged(String id, boolean exists) {
                if (ZoneId.DEFAULT.equals(zone)) {
                  streamZones.put(id, exists);
                }
              }
            });
    RemoteFrames frames = new RemoteFrames(link, zone, frameRules, frameStreams);
    frames.sources().forEach((topic, source) -> frameStreams.register(zone, topic, source));
    Mirror m =
        new Mirror(
            zone,
            log,
            self[0],
            frames,
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime()));
    if (!closed) {
      self[0].start();
      frames.start();
    }
    return m;
  }

  /** The default zone's mirror (what the relay's health and availability speak of). */
  public Mirror main() {
    return main;
  }

  /** Every zone followed now. */
  public Collection<Mirror> all() {
    return mirrors.values();
  }

  /**
   * True when a client without a token may ask for {@code zone} as far as this relay has read: the
   * relay follows it, or the default zone's stream's newest {@code ZoneChanged} of it says it
   * exists, or (no event of it read in this epoch) the newest cut shows it on topic {@code zones}.
   * False can be behind the stream by this relay's lag: before saying a zone does not exist, ask
   * {@link #exists}.
   */
  public boolean known(String zone) {
    if (ZoneId.DEFAULT.equals(zone) || mirrors.containsKey(zone)) {
      return true;
    }
    Boolean said = streamZones.get(zone);
    return said != null ? said : main.log().hasSnapshot(Topic.ZONES, zone);
  }

  /**
   * How long {@link #exists} reads the default zone's stream before it gives up (then a relay
   * cannot say a zone does not exist), in ms.
   */
  public static final long EXISTS_TIMEOUT_MS = 1_000;

  /**
   * Whether zone {@code zone} exists as of the newest entry the default zone's stream holds now:
   * {@link #known} at once when the relay knows it; otherwise the stream is read from the last
   * entry the default zone's reader has applied up to the newest (on a connection of its own, so a
   * reader behind, starved or blocked does not matter), and the newest {@code ZoneChanged} of the
   * zone there decides, else {@link #known}. Every zone's creation is in that stream, so a zone
   * whose {@code CREATED} event Redis holds when this is asked is never answered false (the origin
   * answers a zone's creation once its event is in Redis: docs/DEPLOYMENT.md). Fails (the caller
   * must not then answer "no such zone") when Redis does not answer within {@link
   * #EXISTS_TIMEOUT_MS}. Any thread; does not block; completed on Redis' I/O thread or a timer's.
   */
  public CompletionStage<Boolean> exists(String zone) {
    if (known(zone)) {
      return CompletableFuture.completedFuture(true);
    }
    String after = main.follower().appliedId();
    String key = StreamFormat.events(ZoneId.DEFAULT);
    CompletableFuture<StatefulRedisConnection<String, byte[]>> conn = reader();
    return conn.thenCompose(c -> scan(c, key, after, zone, null))
        .thenApply(said -> said != null ? said : known(zone))
        .orTimeout(EXISTS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, err) -> {
              if (err != null) {
                dropReader(conn);
              }
            });
  }

  /** The newest {@code ZoneChanged} of {@code zone} in the stream after {@code after}, or null. */
  private CompletionStage<Boolean> scan(
      StatefulRedisConnection<String, byte[]> c,
      String key,
      String after,
      String zone,
      Boolean said) {
    return c.async()
        .xrange(
            key,
            Range.from(Range.Boundary.excluding(after), Range.Boundary.unbounded()),
            Limit.from(StreamFollower.BATCH))
        .thenCompose(
            page -> {
              Boolean now = said;
              for (StreamMessage<String, byte[]> m : page) {
                Boolean z = StreamFormat.zoneChange(m.getBody(), zone);
                if (z != null) {
                  now = z;
                }
              }
              if (page.size() < StreamFollower.BATCH || closed) {
                return CompletableFuture.completedFuture(now);
              }
              return scan(c, key, page.get(page.size() - 1).getId(), zone, now);
            });
  }

  private CompletableFuture<StatefulRedisConnection<String, byte[]>> reader() {
    CompletableFuture<StatefulRedisConnection<String, byte[]>> r = reader;
    if (r != null && !r.isCompletedExceptionally()) {
      return r;
    }
    synchronized (this) {
      if (reader == null || reader.isCompletedExceptionally()) {
        // Connecting blocks: on the timer thread, not the caller's (an event loop).
        reader = CompletableFuture.supplyAsync(link::connect, timer);
      }
      return reader;
    }
  }

  private void dropReader(CompletableFuture<StatefulRedisConnection<String, byte[]>> conn) {
    synchronized (this) {
      if (reader != conn) {
        return;
      }
      reader = null;
    }
    conn.thenAccept(StatefulRedisConnection::close);
  }

  /**
   * Stops following every zone but the default that no socket follows ({@code sockets} counts a
   * zone's open sockets) and none asked for within {@code idleMillis}: its reader, its frame
   * subscription and its history are released; a later socket follows it again from the stream's
   * start. A zone with sockets is marked wanted now, so it lingers for {@code idleMillis} after its
   * last socket left. Returns the zones released. Call now and then ({@link #LINGER_MS} / 2).
   */
  public List<String> releaseIdle(
      java.util.function.ToIntFunction<String> sockets, long idleMillis) {
    long now = System.nanoTime();
    long idle = TimeUnit.MILLISECONDS.toNanos(idleMillis);
    List<Mirror> released = new java.util.ArrayList<>();
    for (String zone : List.copyOf(mirrors.keySet())) {
      if (ZoneId.DEFAULT.equals(zone)) {
        continue;
      }
      mirrors.computeIfPresent(
          zone,
          (z, m) -> {
            if (sockets.applyAsInt(z) > 0) {
              m.wanted().set(now);
              return m;
            }
            if (now - m.wanted().get() < idle) {
              return m;
            }
            released.add(m);
            frameStreams.unregister(z); // under the key's lock: a new follow registers after it
            return null;
          });
    }
    List<String> out = new java.util.ArrayList<>();
    for (Mirror m : released) {
      m.follower().close();
      m.frames().close();
      out.add(m.zone());
    }
    return out;
  }

  /**
   * Completes when {@code zone}'s mirror serves (followed from now on if it was not), or fails with
   * 503 {@code unavailable} after {@link #READY_TIMEOUT_MS}.
   */
  public CompletionStage<Mirror> ready(String zone) {
    Mirror m = mirror(zone);
    if (m.serving()) {
      return CompletableFuture.completedFuture(m);
    }
    CompletableFuture<Mirror> f = new CompletableFuture<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
    Runnable[] poll = new Runnable[1];
    poll[0] =
        () -> {
          if (m.serving()) {
            f.complete(m);
          } else if (closed || System.nanoTime() - deadline > 0) {
            f.completeExceptionally(
                new DomainException(
                    DomainException.Kind.UNAVAILABLE,
                    "unavailable",
                    "this relay has no snapshot of zone '"
                        + zone
                        + "' from the origin yet; try again shortly"));
          } else {
            timer.schedule(poll[0], READY_POLL_MS, TimeUnit.MILLISECONDS);
          }
        };
    timer.schedule(poll[0], READY_POLL_MS, TimeUnit.MILLISECONDS);
    return f;
  }

  @Override
  public StateLog forZone(String zone) {
    Mirror m = mirrors.get(zone);
    if (m == null) {
      throw new IllegalStateException("zone " + zone + " is not followed by this relay");
    }
    return m.log();
  }

  @Override
  public String epoch() {
    return main.log().epoch();
  }

  @Override
  public long currentSeq() {
    return main.log().currentSeq();
  }

  @Override
  public io.tonearm.daemon.events.EncodedEvent event(long seq) {
    return main.log().event(seq);
  }

  @Override
  public EventHub.Start start(
      Set<Topic> topics, EventHub.ZoneFilter zones, String resumeEpoch, long resumeSeq) {
    return main.log().start(topics, zones, resumeEpoch, resumeSeq);
  }

  @Override
  public long clockMicros() {
    return clockMicros.getAsLong();
  }

  /** Largest lag of the zones followed, in microseconds. */
  public long lagMicros() {
    long max = 0;
    for (Mirror m : mirrors.values()) {
      max = Math.max(max, m.follower().lagMicros());
    }
    return max;
  }

  /** Events the streams hold that this relay has not read yet, summed over the zones. */
  public long behind() {
    long sum = 0;
    for (Mirror m : mirrors.values()) {
      sum += m.follower().behind();
    }
    return sum;
  }

  /** Times Redis was lost, summed over the zones' readers. */
  public long losses() {
    long sum = 0;
    for (Mirror m : mirrors.values()) {
      sum += m.follower().losses();
    }
    return sum;
  }

  /** Failed reads survived by an immediate reconnect (clients not told), summed over the zones. */
  public long retries() {
    long sum = 0;
    for (Mirror m : mirrors.values()) {
      sum += m.follower().retries();
    }
    return sum;
  }

  /** Times a zone's history started over, summed. */
  public long restarts() {
    long sum = 0;
    for (Mirror m : mirrors.values()) {
      sum += m.follower().restarts();
    }
    return sum;
  }

  /** Frames received from the origin, summed over the zones. */
  public long framesReceived() {
    long sum = 0;
    for (Mirror m : mirrors.values()) {
      sum += m.frames().received();
    }
    return sum;
  }

  /** Frame views leased to the origin, summed over the zones. */
  public int frameViews() {
    int sum = 0;
    for (Mirror m : mirrors.values()) {
      sum += m.frames().views();
    }
    return sum;
  }

  @Override
  public void close() {
    closed = true;
    CompletableFuture<StatefulRedisConnection<String, byte[]>> r = reader;
    if (r != null) {
      dropReader(r);
    }
    for (Mirror m : mirrors.values()) {
      m.follower().close();
      m.frames().close();
    }
  }
}
