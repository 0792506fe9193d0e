package io.tonearm.daemon;

import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.audio.WallClock;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.config.RedisConfig;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.events.MirrorLog;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.events.WakeHold;
import io.tonearm.daemon.ops.JsonText;
import io.tonearm.daemon.ops.Metrics;
import io.tonearm.daemon.relay.OriginCommands;
import io.tonearm.daemon.relay.RedisLink;
import io.tonearm.daemon.relay.StreamFollower;
import io.tonearm.daemon.relay.ZoneMirrors;
import io.tonearm.daemon.transport.Server;
import io.tonearm.daemon.transport.http.HttpContext;
import io.tonearm.daemon.transport.http.StaticFiles;
import io.tonearm.daemon.transport.ws.Availability;
import io.tonearm.daemon.transport.ws.CloseCodes;
import io.tonearm.daemon.transport.ws.Fanout;
import io.tonearm.daemon.transport.ws.TokenSockets;
import io.tonearm.daemon.transport.ws.WsContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay: serves the origin's event socket (and the page) from the origin's Redis stream, with the
 * origin's epoch and seqs, so a client can move between relays and the origin and resume. Wiring
 * only, like {@link Daemon}: {@code java -jar tonearm-daemon.jar relay --redis URL --origin URL
 * [--bind --port ...]}.
 */
public final class RelayNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RelayNode.class);

  private final Config config;
  private final RedisConfig redis;
  private final long startedNanos = System.nanoTime();
  private final Metrics metrics = new Metrics();
  private final ZoneMirrors mirrors;
  private final FrameStreams frames;
  private final Fanout fanout;
  private final RedisLink link;
  private final WsContext ws;
  private final Server server;
  private final OriginCommands commands;
  private final TokenSockets sockets;
  private final java.util.concurrent.ScheduledExecutorService sweeper;

  private RelayNode(Config config, RedisConfig redis, OriginCommands commands) throws Exception {
    this.commands = commands;
    this.config = config;
    this.redis = redis;
    this.link = RedisLink.of(redis.url());
    this.sweeper =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tonearm-relay-sweep");
              t.setDaemon(true);
              return t;
            });
    Fanout[] out = new Fanout[1];
    ZoneMirrors[] self = new ZoneMirrors[1];
    this.frames =
        new FrameStreams(
            () -> self[0] == null ? "" : self[0].epoch(),
            WallClock::micros,
            FrameStreams.DEFAULT_MAX_RENDER_COST);
    java.util.Map<Topic, io.tonearm.daemon.events.FrameSource> rules =
        new java.util.EnumMap<>(
            io.tonearm.daemon.analysis.AnalysisSources.of(
                new io.tonearm.daemon.analysis.AnalysisTap(true)));
    int transportFps = config.transportFps();
    rules.put(
        Topic.TRANSPORT,
        new io.tonearm.daemon.events.FrameSource() {
          @Override
          public io.tonearm.proto.v1.FrameView normalize(io.tonearm.proto.v1.FrameView r) {
            return io.tonearm.daemon.player.TransportView.normalize(r, transportFps);
          }

          @Override
          public io.tonearm.proto.v1.Envelope.Builder render(
              io.tonearm.proto.v1.FrameView view, long nowMicros) {
            return null; // never: the relay's sources render what the origin sent
          }
        });
    this.mirrors =
        new ZoneMirrors(
            link,
            config.historyEvents(),
            config.historyBytes(),
            WallClock::micros,
            frames,
            rules,
            sweeper,
            new ZoneMirrors.Listener() {
              @Override
              public void appended(String zone) {
                out[0].published(null);
              }

              @Override
              public void close(String zone, int code, String reason, String metricReason) {
                out[0].closeZone(zone, code, reason, metricReason);
              }
            });
    self[0] = mirrors;
    this.fanout = new Fanout((s, n) -> metrics.dropped(s.topic(), n));
    out[0] = fanout;
    frames.addListener(fanout);
    this.ws =
        new WsContext(
            mirrors,
            frames,
            fanout,
            metrics,
            config.clientBudgetBytes(),
            config.maxMissedPongs(),
            config.maxFrameBytes(),
            Daemon.VERSION,
            List.of("resume", "json", "protobuf", "relay"),
            new AtomicInteger(),
            new AtomicLong(),
            new AtomicIntegerArray(Topic.values().length),
            commands,
            null,
            sockets = new TokenSockets(config.security().maxSocketsPerToken()),
            availability(),
            this::admit);
    // The origin ends a token's upstream with 4003 when it is revoked or expires: so do we.
    commands.attach(
        (key, why) -> sockets.closeAll(key, CloseCodes.TOKEN_REVOKED, why), sockets::count);
    sweeper.scheduleWithFixedDelay(commands::sweep, 30, 30, java.util.concurrent.TimeUnit.SECONDS);
    // A zone no socket follows is let go LINGER_MS to 1.5 x LINGER_MS after its last socket left.
    sweeper.scheduleWithFixedDelay(
        () -> {
          List<String> gone = releaseIdleZones(ZoneMirrors.LINGER_MS);
          if (!gone.isEmpty()) {
            log.info("no socket follows zone(s) {}: no longer followed", gone);
          }
        },
        ZoneMirrors.LINGER_MS / 2,
        ZoneMirrors.LINGER_MS / 2,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    metrics.gauge(
        "tonearm_relay_upstreams",
        "Sockets this relay holds to the origin (one per token in use)",
        commands::upstreams);
    MirrorLog mirror = mirrors.main().log();
    metrics.gauge(
        "tonearm_state_seq",
        "Seq of the newest state event held (default zone)",
        mirror::currentSeq);
    metrics.gauge(
        "tonearm_history_events",
        "State events kept for resume (default zone)",
        mirror::historyEvents);
    metrics.gauge(
        "tonearm_history_bytes",
        "Encoded bytes kept for resume (default zone)",
        mirror::historyBytes);
    metrics.gauge(
        "tonearm_relay_redis_up",
        "1 while this relay reads Redis",
        () -> mirrors.main().follower().up() ? 1 : 0);
    metrics.gauge("tonearm_relay_zones", "Zones this relay follows", () -> mirrors.all().size());
    metrics.gauge(
        "tonearm_relay_lag_seconds",
        "Age of the newest event when this relay got it (relay clock - origin server_time_us),"
            + " largest over the zones followed",
        () -> mirrors.lagMicros() / 1e6);
    metrics.gauge(
        "tonearm_relay_behind_events",
        "Events the zones' streams hold that this relay has not read yet (checked once a second)",
        mirrors::behind);
    metrics.gauge("tonearm_relay_redis_losses", "Times this relay lost Redis", mirrors::losses);
    metrics.gauge(
        "tonearm_relay_redis_retries",
        "Failed Redis reads (a command over 3 s, a dropped connection) retried at once on a new"
            + " connection before telling clients (a failed retry is also a loss)",
        mirrors::retries);
    metrics.gauge(
        "tonearm_relay_history_restarts",
        "Times a zone's history started over (stream gaps, origin restarts)",
        mirrors::restarts);
    metrics.gauge(
        "tonearm_ws_open_connections", "Open WebSocket connections", () -> ws.connections().get());
    HttpContext http =
        new HttpContext(
            new Router()
                .fallback(
                    "/api/", new io.tonearm.daemon.transport.http.OriginProxy(redis.origin())),
            metrics,
            new StaticFiles(),
            this::health,
            null,
            null,
            new WakeHold(),
            mirrors::known,
            z -> null);
    this.server = new Server(config.withMpdPort(-1), ws, http);
    metrics.gauge(
        "tonearm_relay_frames_received",
        "Frames received from the origin",
        mirrors::framesReceived);
    metrics.gauge("tonearm_relay_views", "Frame views leased to the origin", mirrors::frameViews);
  }

  /**
   * Admits a socket as the origin would: the origin authenticates it and says what its token may
   * use ({@link OriginCommands}); its zone is chosen by the same rule ({@code ?zone=}, else
   * "default" or the token's one zone: 403 {@code zone_forbidden}, 400 {@code zone_required}); a
   * client without a token may ask only for a zone that exists (below); then the zone's mirror must
   * serve (followed from now on; 503 {@code unavailable} after 5 s).
   *
   * <p>A zone this relay has not read of yet is looked for in Redis first ({@link
   * ZoneMirrors#exists}: the default zone's stream read up to its newest entry), then asked of the
   * origin (which answers a relay on its own loopback); only when neither has it is the answer 404
   * {@code zone_not_found}, and when Redis could not be read and the origin could not be asked, 503
   * {@code unavailable} rather than a 404 that may be wrong.
   */
  private java.util.concurrent.CompletionStage<io.tonearm.daemon.access.Principal> admit(
      io.tonearm.daemon.access.Access.Credentials c, java.net.InetAddress from, String named) {
    return commands
        .admit(c, from, named)
        .thenCompose(
            p -> {
              String zone = p.zoneFor(named);
              if (!p.trusted() || mirrors.known(zone)) {
                // A token's zone was checked by the origin at the upstream socket.
                return mirrors.ready(zone).thenApply(m -> p);
              }
              return mirrors
                  .exists(zone)
                  .handle((inRedis, err) -> err != null ? null : inRedis)
                  .thenCompose(
                      inRedis ->
                          Boolean.TRUE.equals(inRedis)
                              ? java.util.concurrent.CompletableFuture.completedFuture(Boolean.TRUE)
                              : commands
                                  .originHasZone(zone)
                                  .thenApply(has -> has ? Boolean.TRUE : inRedis))
                  .thenCompose(
                      has -> {
                        if (has == null) {
                          throw new io.tonearm.daemon.errors.DomainException(
                              io.tonearm.daemon.errors.DomainException.Kind.UNAVAILABLE,
                              "unavailable",
                              "this relay could not read Redis to learn whether zone '"
                                  + zone
                                  + "' exists; try again shortly");
                        }
                        if (!has && !mirrors.known(zone)) {
                          throw io.tonearm.daemon.errors.DomainException.zoneNotFound(zone);
                        }
                        return mirrors.ready(zone).thenApply(m -> p);
                      });
            });
  }

  /** Sockets open only while Redis answers and the first snapshot cut is in. */
  private Availability availability() {
    return () -> {
      if (!mirrors.main().follower().up()) {
        return "this relay cannot reach Redis; connect to another relay or the origin";
      }
      if (!mirrors.main().log().ready()) {
        return "this relay has no snapshot from the origin yet; try again shortly";
      }
      return null;
    };
  }

  /**
   * Starts a relay on the configured address.
   *
   * @param commands admits sockets and runs their commands at the origin
   */
  public static RelayNode start(Config config, RedisConfig redis, OriginCommands commands)
      throws Exception {
    RelayNode r = new RelayNode(config, redis, commands);
    log.info(
        "tonearm {} relay listening on http://{}:{} for every zone of {}, following Redis at {}",
        Daemon.VERSION,
        config.bind(),
        r.port(),
        redis.origin(),
        r.link.where());
    return r;
  }

  public int port() {
    return server.port();
  }

  /** The default zone's mirrored state lane (tests, metrics). */
  public MirrorLog mirror() {
    return mirrors.main().log();
  }

  /** The default zone's Redis reader (tests: up, lag). */
  public StreamFollower follower() {
    return mirrors.main().follower();
  }

  /**
   * Stops following the zones no socket has followed for {@code idleMillis} (the relay does this by
   * itself with {@link ZoneMirrors#LINGER_MS}); returns them (tests).
   */
  public List<String> releaseIdleZones(long idleMillis) {
    return mirrors.releaseIdle(fanout::sockets, idleMillis);
  }

  /** Every zone's mirror (tests). */
  public ZoneMirrors mirrors() {
    return mirrors;
  }

  private byte[] health() {
    Map<String, Object> h = new LinkedHashMap<>();
    MirrorLog mirror = mirrors.main().log();
    StreamFollower follower = mirrors.main().follower();
    boolean up = follower.up();
    h.put("status", up && mirror.ready() ? "ok" : "unavailable");
    h.put("role", "relay");
    h.put("version", Daemon.VERSION);
    h.put("uptime_s", (System.nanoTime() - startedNanos) / 1_000_000_000L);
    h.put("zones", mirrors.all().stream().map(ZoneMirrors.Mirror::zone).sorted().toList());
    h.put("origin", redis.origin());
    h.put("epoch", mirror.epoch());
    h.put("seq", mirror.currentSeq());
    h.put("connections", ws.connections().get());
    Map<String, Object> relay = new LinkedHashMap<>();
    relay.put("redis", up ? "up" : "down");
    relay.put("redis_at", link.where());
    relay.put("lag_ms", mirrors.lagMicros() / 1000.0);
    relay.put("behind_events", mirrors.behind());
    relay.put("snapshot_seq", mirror.cutSeq());
    relay.put("redis_losses", mirrors.losses());
    relay.put("redis_retries", mirrors.retries());
    relay.put("history_restarts", mirrors.restarts());
    relay.put("upstreams", commands.upstreams());
    relay.put("frame_views", mirrors.frameViews());
    relay.put("frames_received", mirrors.framesReceived());
    h.put("relay", relay);
    h.put(
        "history",
        Map.of(
            "events", mirror.historyEvents(),
            "bytes", mirror.historyBytes(),
            "oldest_seq", mirror.oldestSeq(),
            "max_events", config.historyEvents(),
            "max_bytes", config.historyBytes()));
    h.put("transport_connections", server.openConnections());
    h.put("transport", server.transport());
    return JsonText.write(h).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stopAccepting();
    fanout.closeAll(CloseCodes.GOING_AWAY, "relay shutting down");
    mirrors.close();
    sweeper.shutdownNow();
    commands.close();
    frames.close();
    server.close();
    link.close();
    log.info("relay stopped");
  }
}
