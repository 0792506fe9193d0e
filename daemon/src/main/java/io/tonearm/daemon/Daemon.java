package io.tonearm.daemon;

import io.tonearm.daemon.access.Access;
import io.tonearm.daemon.access.AuditLog;
import io.tonearm.daemon.access.Scope;
import io.tonearm.daemon.access.TokenStore;
import io.tonearm.daemon.analysis.AnalysisSources;
import io.tonearm.daemon.analysis.AnalysisTap;
import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.audio.WallClock;
import io.tonearm.daemon.command.CommandRunner;
import io.tonearm.daemon.command.CommandTable;
import io.tonearm.daemon.command.HttpCommands;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.demo.DemoLibrary;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.events.Outbound;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.events.ZoneId;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.daemon.library.Browser;
import io.tonearm.daemon.library.Library;
import io.tonearm.daemon.library.TrackAnalysis;
import io.tonearm.daemon.library.TrackLyrics;
import io.tonearm.daemon.library.Uploads;
import io.tonearm.daemon.lyrics.Lyrics;
import io.tonearm.daemon.mixer.Mixer;
import io.tonearm.daemon.mpd.MpdService;
import io.tonearm.daemon.ops.JsonText;
import io.tonearm.daemon.ops.Metrics;
import io.tonearm.daemon.ops.QuietThreads;
import io.tonearm.daemon.output.HttpStreamOutput;
import io.tonearm.daemon.output.JavaSoundOutput;
import io.tonearm.daemon.output.NullOutput;
import io.tonearm.daemon.output.Output;
import io.tonearm.daemon.output.StreamFormat;
import io.tonearm.daemon.persist.CrcFile;
import io.tonearm.daemon.player.PlaySlots;
import io.tonearm.daemon.player.Player;
import io.tonearm.daemon.player.PlayerConfig;
import io.tonearm.daemon.playlists.Playlists;
import io.tonearm.daemon.settings.Settings;
import io.tonearm.daemon.transport.Server;
import io.tonearm.daemon.transport.http.HttpContext;
import io.tonearm.daemon.transport.http.StaticFiles;
import io.tonearm.daemon.transport.mpd.MpdContext;
import io.tonearm.daemon.transport.ws.CloseCodes;
import io.tonearm.daemon.transport.ws.Fanout;
import io.tonearm.daemon.transport.ws.TokenSockets;
import io.tonearm.daemon.transport.ws.WsContext;
import io.tonearm.daemon.transport.ws.WsHandler;
import io.tonearm.daemon.zones.Zone;
import io.tonearm.daemon.zones.Zones;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.OutputFormatConfig;
import io.tonearm.proto.v1.QueueReply;
import io.tonearm.proto.v1.ZoneInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the daemon together: the only class that sees every capability. Start it with {@link
 * #start}; {@link #close} closes every socket with 1001 and saves state.
 */
public final class Daemon implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /** The daemon's version, reported in Hello and /health. */
  public static final String VERSION = "0.1.0";

  private final Config config;
  private final long startedNanos = System.nanoTime();
  private final Metrics metrics = new Metrics();
  private final EventHub hub;
  private final FrameStreams frames;
  private final Fanout fanout;
  private final Router router = new Router();
  private final WsContext ws;
  private final List<String> capabilities;
  private final Server server;
  private final List<Path> musicFolders;
  private final Player player;
  private final Zones zones;
  private final Settings settings;

  /** One thread for every zone's sound settings (each saves with an fsync, off the event loops). */
  private final java.util.concurrent.ExecutorService settingsThread = Settings.newThread();

  /**
   * Each zone's sound settings by zone id: added before its player starts (its restore event finds
   * them), removed and closed with the zone, before its state is deleted.
   */
  private final Map<String, Settings> soundSettings =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** One thread for every zone's mixer (each saves with an fsync, off the event loops). */
  private final java.util.concurrent.ExecutorService mixerThread = Mixer.newThread();

  /** Each zone's mixer by zone id: added before its player starts, closed with the zone. */
  private final Map<String, Mixer> mixers = new java.util.concurrent.ConcurrentHashMap<>();

  /** One thread (and timer) for every zone's lyrics. */
  private final java.util.concurrent.ScheduledThreadPoolExecutor lyricsThread = Lyrics.newThread();

  /**
   * Each zone's lyrics by zone id: added before its player starts (its restore event finds them),
   * closed with the zone before its state is deleted.
   */
  private final Map<String, Lyrics> lyricsByZone = new java.util.concurrent.ConcurrentHashMap<>();

  /** Lyrics timer wake-ups of zones removed since the start (the metric keeps counting them). */
  private final java.util.concurrent.atomic.AtomicLong removedLyricsWakeUps =
      new java.util.concurrent.atomic.AtomicLong();

  private final TrackLyrics trackLyrics;
  private final Jobs jobs;
  private final Library library;
  private final Playlists playlists;
  private final CommandRunner commands;
  private final AnalysisTap analysis = new AnalysisTap(true);

  /** Zones that may play or be paused at once (each holds its decoded audio meanwhile). */
  private final PlaySlots playSlots;

  private final HttpStreamOutput stream;
  private final MpdContext mpdContext;

  /** Most MPD connections at once (MPD's own default is 100; listeners in idle count). */
  public static final int MPD_MAX_CONNECTIONS = 256;

  private final List<Output> outputList;
  private final Access access;
  private final TokenSockets tokenSockets;
  private final ScheduledExecutorService tokenIo;

  private final io.tonearm.daemon.relay.RedisLink redisLink;
  private final io.tonearm.daemon.relay.StreamPublisher publisher;
  private final io.tonearm.daemon.relay.FramePublisher framePublisher;

  private Daemon(Config config, io.tonearm.daemon.config.RedisConfig redis) throws Exception {
    this.config = config;
    // A malformed --redis fails here, before anything starts.
    this.redisLink = redis.url() == null ? null : io.tonearm.daemon.relay.RedisLink.of(redis.url());
    InetAddress.getByName(config.bind()); // an unknown --bind fails here, before any file is opened
    // Two seconds of the stream's 16-bit stereo: a listener further behind is dropped.
    this.stream =
        new HttpStreamOutput(
            "http-stream", config.streamRate() * 4 * 2, config.streamRate(), config.dither());
    Files.createDirectories(config.dataDir());
    this.musicFolders = musicFolders(config);
    // One clock for envelopes, positions and frame stamps: the analysis picks the audio heard at a
    // tick's `now`, which must be the clock the output stamped that audio with.
    this.hub = new EventHub(config.historyEvents(), config.historyBytes(), WallClock::micros);
    this.frames = new FrameStreams(hub.epoch(), WallClock::micros);
    this.fanout = new Fanout((s, n) -> metrics.dropped(s.topic(), n), hub.wakes());
    hub.addListener(fanout);
    frames.addListener(fanout);
    this.capabilities = capabilities();
    metrics.gauge("tonearm_state_seq", "Seq of the newest state event", hub::currentSeq);
    metrics.gauge("tonearm_history_events", "State events kept for resume", hub::historyEvents);
    metrics.gauge("tonearm_history_bytes", "Encoded bytes kept for resume", hub::historyBytes);
    metrics.gauge(
        "tonearm_history_capacity_events", "Bound on kept state events", hub::historyCapacity);
    metrics.gauge("tonearm_frame_streams", "Frame streams running", frames::activeStreams);
    metrics.gauge(
        "tonearm_frame_render_cost",
        "Render cost of the running frame streams, samples per second (frame cost x fps)",
        frames::renderCost);
    metrics.gauge(
        "tonearm_frame_render_cost_max",
        "Bound on the render cost of all frame streams, samples per second",
        frames::maxRenderCost);
    metrics.gauge(
        "tonearm_ws_views_per_connection_max",
        "Bound on distinct frame views per WebSocket connection",
        () -> WsHandler.MAX_VIEWS_PER_CONNECTION);
    this.jobs = new Jobs(hub, 2);
    this.library = new Library(config.dataDir(), hub, jobs);
    this.playlists = new Playlists(library, hub);
    for (Path p : musicFolders) {
      library.folders().ensure(p.toString());
    }
    hub.initSnapshot(Topic.LIBRARY, library.snapshot());
    hub.initSnapshot(Topic.JOBS, jobs.snapshotEnvelope());
    hub.initSnapshot(Topic.PLAYLISTS, playlists.snapshot());
    this.playSlots = new PlaySlots(config.maxPlayingZones());
    this.player =
        new Player(
            // No fixed folders: the library's folders (--music ones included) are the music
            // folders, so one added at run time or kept from an earlier run plays at once.
            PlayerConfig.builder()
                .dataDir(config.dataDir())
                .transportFps(config.transportFps())
                .outputRate(config.outputRate())
                .playSlots(playSlots)
                .build(),
            hub.zone(DEFAULT_ZONE),
            library.catalog(),
            analysis,
            outputList = outputs(stream, config.dither()));
    this.settings = openSettings(DEFAULT_ZONE, config.dataDir(), player);
    hub.addListener(
        e -> {
          if (e.envelope().hasPlayer()) {
            Settings s = soundSettings.get(e.zone());
            var p = e.envelope().getPlayer().getState();
            if (s != null) {
              s.playing(p.hasCurrent() ? p.getCurrent().getTrack().getTrackId() : "");
            }
          } else if (e.envelope().hasLibrary()
              && (e.envelope().getLibrary().hasTracksRemoved()
                  || e.envelope().getLibrary().hasFolderRemoved())) {
            // A reference that left the library is dropped.
            soundSettings.values().forEach(Settings::libraryChanged);
          }
        });
    // Each zone's mixer and lyrics follow that zone's player: their events are that zone's.
    this.trackLyrics = new TrackLyrics(library);
    openMixerAndLyrics(DEFAULT_ZONE, config.dataDir(), player);
    hub.addListener(
        e -> {
          if (e.topic() == Topic.PLAYER) {
            Lyrics l = lyricsByZone.get(e.zone().isEmpty() ? DEFAULT_ZONE : e.zone());
            if (l != null) {
              l.published(e);
            }
          }
        });
    metrics.gauge(
        "tonearm_lyrics_timer_wakeups",
        "Times the lyrics timers read the output clock (only while timed lyrics are heard)",
        () ->
            (double)
                (removedLyricsWakeUps.get()
                    + lyricsByZone.values().stream().mapToLong(Lyrics::timerWakeUps).sum()));
    this.zones =
        new Zones(
            config.dataDir(),
            hub,
            new Zone(
                ZoneInfo.newBuilder().setId(DEFAULT_ZONE).setName(DEFAULT_ZONE).build(),
                player,
                analysis,
                stream),
            this::openZone,
            id -> {
              fanout.closeZone(id, CloseCodes.ZONE_REMOVED, "zone '" + id + "' was removed");
              frames.unregister(id);
              Settings s = soundSettings.remove(id);
              if (s != null) {
                s.close(); // before the zone's state directory is deleted
              }
              Mixer m = mixers.remove(id);
              if (m != null) {
                m.close();
              }
              Lyrics l = lyricsByZone.remove(id);
              if (l != null) {
                l.close();
                removedLyricsWakeUps.addAndGet(l.timerWakeUps());
              }
            },
            System::currentTimeMillis);
    ScheduledThreadPoolExecutor tokenThread = QuietThreads.scheduled("tonearm-tokens");
    tokenThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close flushes itself
    this.tokenIo = tokenThread;
    TokenStore tokens = TokenStore.open(config.dataDir(), zones::exists);
    firstAdminToken(tokens, config.dataDir());
    this.access =
        new Access(
            tokens, config.security(), new AuditLog(), System::nanoTime, System::currentTimeMillis);
    this.tokenSockets = new TokenSockets(config.security().maxSocketsPerToken());
    // Last-use times are written a minute after the first use since the last write, by a thread
    // that exists only then (not one waking every minute for an idle daemon, issue 13).
    tokens.onDirty(
        () -> {
          try {
            tokenIo.schedule(this::flushTokens, 60, TimeUnit.SECONDS);
          } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: close() flushes
          }
        });
    TrackAnalysis trackAnalysis = new TrackAnalysis(library, jobs, config.dataDir());
    Uploads uploads =
        new Uploads(
            config.dataDir(), library, jobs, trackAnalysis, () -> hub.newestSeq(Topic.LIBRARY));
    metrics.gauge("tonearm_uploads_open", "Uploads being received or placed", () -> uploads.open());
    metrics.gauge(
        "tonearm_upload_max_bytes", "Largest upload accepted", () -> (double) Uploads.MAX_BYTES);
    metrics.gauge(
        "tonearm_uploads_max_open", "Uploads received at once, at most", () -> Uploads.MAX_OPEN);
    this.commands =
        new CommandRunner(
            CommandTable.newBuilder()
                .players(id -> zones.get(id).player())
                .zones(zones, this::inRedis)
                .settings(this::soundSettings)
                .mixer(zoneOwner(mixers))
                .lyrics(zoneOwner(lyricsByZone))
                .library(new Browser(library))
                .trackAnalysis(trackAnalysis)
                .uploads(uploads)
                .meters(id -> zones.get(id).analysis())
                .playlists(playlists)
                .jobs(jobs)
                .access(
                    access,
                    id -> tokenSockets.closeAll(id, CloseCodes.TOKEN_REVOKED, "token revoked"),
                    tokenIo,
                    System::currentTimeMillis)
                .build(),
            hub,
            access.limits(),
            access.audit(),
            zones::exists);
    HttpCommands.mount(router, commands);
    if (config.mpdPort() < 0) {
      // MPD's protocol is off (the default) and cannot be turned on while running: its table of
      // about 110 verbs (89 lambda classes), idle bus and track index would only take memory and
      // see every event (issue 13, bench/README.md, "twelfth session (rss8)").
      this.mpdContext = null;
    } else {
      MpdService mpd = new MpdService(player, library, playlists, settings, commands, access);
      // Before the player starts: the bus sees the queue from its start. MPD speaks for the
      // default zone (and the shared library and playlists).
      hub.addListener(defaultZoneOnly(mpd.bus()));
      this.mpdContext =
          MpdContext.defaults(mpd, MPD_MAX_CONNECTIONS, access.trustLoopback(), tokenSockets);
    }
    metrics.gauge(
        "tonearm_mpd_open_connections",
        "Open MPD protocol connections",
        () -> mpdContext == null ? 0 : mpdContext.connections().get());
    this.ws =
        new WsContext(
            hub,
            frames,
            fanout,
            metrics,
            config.clientBudgetBytes(),
            config.maxMissedPongs(),
            config.maxFrameBytes(),
            VERSION,
            capabilities,
            new AtomicInteger(),
            new AtomicLong(),
            new AtomicIntegerArray(Topic.values().length),
            commands,
            access,
            tokenSockets,
            io.tonearm.daemon.transport.ws.Availability.ALWAYS,
            null);
    metrics.gauge(
        "tonearm_ws_open_connections", "Open WebSocket connections", () -> ws.connections().get());
    frames.register(Topic.TRANSPORT, player.transportSource());
    AnalysisSources.of(analysis).forEach(frames::register);
    HttpContext http =
        new HttpContext(
            router,
            metrics,
            new StaticFiles(),
            this::health,
            stream,
            access,
            hub.wakes(),
            zones::exists,
            id -> zones.exists(id) ? zones.get(id).stream() : null,
            uploads);
    accessMetrics(config.security());
    try {
      this.server = new Server(config, ws, http, mpdContext); // binds: a busy port fails here
    } catch (Exception e) {
      tokenIo.shutdown();
      player.close();
      settings.close();
      settingsThread.shutdown();
      mixerThread.shutdown();
      lyricsThread.shutdownNow();
      playlists.close();
      jobs.close();
      library.close();
      throw e;
    }
    Config.Connections limits = config.connections();
    metrics.gauge(
        "tonearm_connections_open",
        "Open connections, HTTP, WebSocket and MPD",
        () -> server.openConnections());
    metrics.gauge("tonearm_connections_max", "Bound on open connections", limits::max);
    metrics.gauge(
        "tonearm_connections_max_per_address",
        "Bound on open connections from one remote address (loopback exempt)",
        limits::maxPerAddress);
    metrics.gauge(
        "tonearm_header_timeout_seconds",
        "Time a request's headers may take from its first byte",
        () -> limits.headerTimeoutMillis() / 1000.0);
    metrics.gauge(
        "tonearm_fd_reserve", "File descriptors kept free for the daemon", limits::fdReserve);
    metrics.gauge("tonearm_fd_limit", "The process's file descriptor limit", server::fdLimit);
    metrics.gauge(
        "tonearm_http_max_pipelined", "Requests taken in per connection", config::maxPipelined);
    metrics.gauge(
        "tonearm_zones_playing",
        "Zones playing or paused now (each holds its decoded audio)",
        playSlots::taken);
    metrics.gauge(
        "tonearm_zones_max_playing",
        "Bound on zones playing or paused at once (--max-playing-zones)",
        playSlots::max);
    this.publisher =
        redisLink == null
            ? null
            : new io.tonearm.daemon.relay.StreamPublisher(
                redisLink,
                hub,
                zones::ids,
                zones::exists,
                redis.streamEvents(),
                redis.streamBytes());
    this.framePublisher =
        redisLink == null
            ? null
            : new io.tonearm.daemon.relay.FramePublisher(redisLink, frames, zones::ids);
    if (framePublisher != null) {
      metrics.gauge(
          "tonearm_redis_frames_published",
          "Frames published to Redis for relays",
          framePublisher::published);
      metrics.gauge(
          "tonearm_redis_frames_dropped",
          "Frames Redis did not take (latest wins)",
          framePublisher::dropped);
      metrics.gauge(
          "tonearm_redis_frame_views", "Frame views rendered for relays", framePublisher::views);
      framePublisher.start();
    }
    if (publisher != null) {
      metrics.gauge(
          "tonearm_redis_up", "1 while the daemon writes to Redis", () -> publisher.up() ? 1 : 0);
      metrics.gauge(
          "tonearm_redis_published_seq",
          "Seq of the newest event copied to the Redis stream",
          publisher::publishedSeq);
      metrics.gauge(
          "tonearm_redis_behind_events",
          "State events not yet copied to the Redis stream",
          publisher::behind);
      metrics.gauge("tonearm_redis_losses", "Times Redis was lost", publisher::losses);
      metrics.gauge(
          "tonearm_redis_gaps",
          "Gaps in the Redis streams (events they never got)",
          publisher::gaps);
      metrics.gauge(
          "tonearm_redis_streams", "Zone streams the daemon writes to Redis", publisher::streams);
      metrics.gauge(
          "tonearm_redis_unconfirmed_replies",
          "Zone changes answered before their event was in Redis (Redis down, or not within 1 s)",
          publisher::unconfirmed);
      publisher.start();
    }
    // Queue entries added before the scan reached their files take the catalog data when it does.
    library.onCataloged(files -> zones.sorted().forEach(z -> z.player().cataloged(files)));
    jobs.start();
    library.start();
    library.scan(false, List.of(), "daemon.start");
    player.start();
    zones.open();
    lyricsByZone.values().forEach(Lyrics::start);
    if (config.music().isEmpty()) {
      queueDemoOnFirstStart();
    }
  }

  /** The zone that is always there: the daemon's first player (tokens may be limited to zones). */
  public static final String DEFAULT_ZONE = ZoneId.DEFAULT;

  /** A listener that sees the default zone's events and the shared ones only. */
  private static EventHub.Listener defaultZoneOnly(EventHub.Listener l) {
    return e -> {
      String z = e.zone();
      if (z.isEmpty() || z.equals(DEFAULT_ZONE)) {
        l.published(e);
      }
    };
  }

  /**
   * Makes a zone's player: a clocked null output and its own HTTP stream, its own analysis (its
   * frame topics registered under its id), its state in {@code dir}, its events tagged with its id.
   */
  private Zone openZone(ZoneInfo info, Path dir) throws IOException {
    HttpStreamOutput zoneStream =
        new HttpStreamOutput(
            "http-stream", config.streamRate() * 4 * 2, config.streamRate(), config.dither());
    AnalysisTap tap = new AnalysisTap(true);
    Player p;
    try {
      p =
          new Player(
              PlayerConfig.builder()
                  .dataDir(dir)
                  .transportFps(config.transportFps())
                  .outputRate(config.outputRate())
                  .playSlots(playSlots)
                  .build(),
              hub.zone(info.getId()),
              library.catalog(),
              tap,
              List.of(new NullOutput(), zoneStream));
    } catch (IOException | RuntimeException e) {
      zoneStream.shutdown();
      throw e;
    }
    openSettings(info.getId(), dir, p);
    openMixerAndLyrics(info.getId(), dir, p);
    frames.register(info.getId(), Topic.TRANSPORT, p.transportSource());
    AnalysisSources.of(tap).forEach((t, source) -> frames.register(info.getId(), t, source));
    return new Zone(info, p, tap, zoneStream);
  }

  /**
   * Makes zone {@code zone}'s sound settings for its player {@code p} (not started yet): restored
   * from {@code dir} (the zone's state directory), their events and snapshot the zone's, renders in
   * the data dir's {@code renders/}; registered for commands and the player's events.
   */
  private Settings openSettings(String zone, Path dir, Player p) {
    Settings s =
        new Settings(
            dir,
            config.dataDir().resolve("renders"),
            hub.zone(zone),
            p.enhancement(),
            p::setCrossfade,
            settingsThread);
    s.attach(
        OutputFormatConfig.newBuilder()
            .setOutputRateHz(config.outputRate())
            .setDither(config.dither())
            .build(),
        (rg, origin) -> p.replayGain(rg, origin).thenApply(r -> r.getState().getReplayGain()));
    p.onReplayGainChanged(s::replayGainChanged);
    s.attachReference(library.catalog(), jobs);
    hub.initSnapshot(zone, Topic.SETTINGS, s.snapshot());
    Settings old = soundSettings.put(zone, s);
    if (old != null) {
      old.close();
    }
    return s;
  }

  /**
   * Makes zone {@code zone}'s mixer and lyrics for its player {@code p} (not started yet): restored
   * from {@code dir} (the zone's state directory), their events and snapshots the zone's; an offset
   * one zone's command sets reaches every other zone's lyrics.
   */
  private void openMixerAndLyrics(String zone, Path dir, Player p) {
    Mixer m = new Mixer(dir, hub.zone(zone), p.mixer(), mixerThread);
    hub.initSnapshot(zone, Topic.MIXER, m.snapshot());
    Mixer oldMixer = mixers.put(zone, m);
    if (oldMixer != null) {
      oldMixer.close();
    }
    Lyrics l =
        new Lyrics(
            dir,
            hub.zone(zone),
            trackLyrics,
            p::heard,
            lyricsThread,
            (from, track, offsetMs, origin) ->
                lyricsByZone.values().stream()
                    .filter(other -> other != from)
                    .forEach(other -> other.trackOffsetSet(track, offsetMs, origin)));
    hub.initSnapshot(zone, Topic.LYRICS, l.snapshot());
    Lyrics oldLyrics = lyricsByZone.put(zone, l);
    if (oldLyrics != null) {
      oldLyrics.close();
    }
  }

  /** A zone's owner from {@code byZone}; 404 {@code zone_not_found} when there is none. */
  private static <T> java.util.function.Function<String, T> zoneOwner(Map<String, T> byZone) {
    return id -> {
      T owner = id == null ? null : byZone.get(id);
      if (owner == null) {
        throw CommandRunner.notFound(String.valueOf(id));
      }
      return owner;
    };
  }

  /** The sound settings of zone {@code id}; 404 {@code zone_not_found} when there is none. */
  private Settings soundSettings(String id) {
    Settings s = id == null ? null : soundSettings.get(id);
    if (s == null) {
      throw CommandRunner.notFound(String.valueOf(id));
    }
    return s;
  }

  /** The file the first admin token's secret is written to, in the data dir (0600). */
  public static final String ADMIN_TOKEN_FILE = "admin.token";

  /**
   * On the first start (no token made yet), makes an admin token with every scope and writes its
   * secret to {@value #ADMIN_TOKEN_FILE} in the data dir, readable by the owner only.
   */
  private static void firstAdminToken(TokenStore tokens, Path dataDir) throws IOException {
    if (!tokens.list().isEmpty()) {
      return;
    }
    TokenStore.Created admin =
        tokens.create(
            "admin",
            java.util.Arrays.stream(Scope.values()).map(Scope::wireName).toList(),
            List.of(),
            0,
            System.currentTimeMillis());
    Path file = dataDir.resolve(ADMIN_TOKEN_FILE);
    Files.deleteIfExists(file);
    Files.write(
        Files.createFile(file, CrcFile.ownerOnlyAttributes(file)),
        (admin.secret() + "\n").getBytes(StandardCharsets.US_ASCII));
    log.info("first start: admin token ({}) written to {}", admin.token().id(), file);
  }

  private void flushTokens() {
    try {
      access.tokens().flush();
    } catch (IOException e) {
      log.warn("cannot write token last-use times: {}", e.toString());
    }
  }

  private void accessMetrics(Config.Security s) {
    metrics.gauge("tonearm_rate_per_token", "Commands per second per token", s::tokenRate);
    metrics.gauge("tonearm_burst_per_token", "Commands at once per token", s::tokenBurst);
    metrics.gauge(
        "tonearm_rate_per_address", "Commands per second per non-loopback address", s::addressRate);
    metrics.gauge(
        "tonearm_burst_per_address", "Commands at once per non-loopback address", s::addressBurst);
    metrics.gauge(
        "tonearm_max_sockets_per_token", "Open WebSockets per token", s::maxSocketsPerToken);
    metrics.gauge(
        "tonearm_commands_rate_limited",
        "Commands refused for rate so far",
        () -> access.limits().refused());
    metrics.gauge(
        "tonearm_rate_buckets",
        "Rate limit buckets held (token and address)",
        () -> access.limits().buckets());
    metrics.gauge(
        "tonearm_auth_failures",
        "Authentications refused so far (all codes)",
        () -> access.failuresByCode().values().stream().mapToLong(a -> a.get()).sum());
    metrics.gauge(
        "tonearm_auth_refused_unchecked",
        "Requests refused unchecked because their address had too many failed authentications",
        access::limitedAuth);
    metrics.gauge(
        "tonearm_auth_failure_addresses",
        "Addresses whose failed authentications are counted (bounded)",
        access::failureAddresses);
    metrics.gauge("tonearm_auth_tickets", "Socket tickets held", () -> access.tickets().size());
    metrics.gauge(
        "tonearm_tokens",
        "Tokens that are not revoked",
        () -> access.tokens().list().stream().filter(t -> t.revokedMs() == 0).count());
    metrics.gauge(
        "tonearm_trust_loopback",
        "1 when loopback clients need no token",
        () -> s.trustLoopback() ? 1 : 0);
  }

  /**
   * The sound device when javax.sound has one, else the clocked null output (the first paced output
   * is the clock), and the HTTP stream.
   */
  private static List<Output> outputs(HttpStreamOutput stream, boolean dither) {
    if (JavaSoundOutput.available()) {
      return List.of(new JavaSoundOutput(dither), stream);
    }
    return List.of(new NullOutput(), stream);
  }

  /** With the demo library and an empty queue, queues the demo pieces so "play" plays at once. */
  private void queueDemoOnFirstStart() {
    QueueReply q = player.queue().toCompletableFuture().join();
    if (q.getQueue().getItemsCount() == 0) {
      List<String> paths = new ArrayList<>();
      for (Path f : DemoLibrary.files(musicFolders.get(0))) {
        paths.add(f.toString());
      }
      player
          .append(paths, List.of(), Origin.newBuilder().setCommand("daemon.demo").build())
          .toCompletableFuture()
          .join();
    }
  }

  /**
   * Starts the daemon on the configured address.
   *
   * @throws java.net.BindException when the port is busy
   */
  public static Daemon start(Config config) throws Exception {
    return start(config, io.tonearm.daemon.config.RedisConfig.NONE);
  }

  /**
   * Starts the daemon, publishing its state lane to Redis for relays when {@code redis.url()} is
   * set (Redis may be down: the daemon starts anyway and publishes once it answers).
   */
  public static Daemon start(Config config, io.tonearm.daemon.config.RedisConfig redis)
      throws Exception {
    Daemon d = new Daemon(config, redis);
    log.info(
        "tonearm {} listening on {}://{}:{} ({} transport), epoch {}",
        VERSION,
        config.security().tls() ? "https" : "http",
        config.bind(),
        d.port(),
        d.server.transport(),
        d.hub.epoch());
    if (d.mpdPort() >= 0) {
      log.info("MPD protocol on {}:{}", config.bind(), d.mpdPort());
    }
    log.info("data dir {}", config.dataDir().toAbsolutePath());
    d.tokenAdvice();
    var summary = d.library.summary();
    log.info(
        "library: {} tracks, {} albums, {} files with errors; music folders {}",
        summary.getTrackCount(),
        summary.getAlbumCount(),
        summary.getErrorCount(),
        d.musicFolders);
    log.info(
        "decoders: {}",
        String.join(", ", d.capabilities.stream().filter(c -> c.startsWith("decoder:")).toList())
            .replace("decoder:", ""));
    log.info(
        "outputs: {} (the first is the clock)", d.outputList.stream().map(Output::id).toList());
    return d;
  }

  /**
   * Says how clients that are not on this machine get in: every one of them needs a token, and on
   * an address others can reach that must be said at start.
   */
  private void tokenAdvice() {
    boolean loopbackOnly;
    try {
      loopbackOnly = InetAddress.getByName(config.bind()).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      loopbackOnly = false;
    }
    if (loopbackOnly) {
      return;
    }
    Path adminFile = config.dataDir().toAbsolutePath().resolve(ADMIN_TOKEN_FILE);
    if (access.tokens().noneValid()) {
      log.warn(
          "listening on {} with no valid token: clients on other machines cannot get in. Make one"
              + " on this machine: tonearm token create --name NAME --scope read --scope control",
          config.bind());
    } else {
      log.info(
          "listening on {}: clients on other machines need a token (Authorization: Bearer)."
              + " The first admin token is in {} (if not deleted); make others on this machine"
              + " with: tonearm token create --name NAME --scope read --scope control",
          config.bind(),
          adminFile);
    }
  }

  /** The configured music folders (each must be a readable directory), or the demo library. */
  private static List<Path> musicFolders(Config config) throws IOException {
    if (config.music().isEmpty()) {
      return List.of(DemoLibrary.ensure(config.dataDir()).toRealPath());
    }
    List<Path> out = new ArrayList<>();
    for (Path p : config.music()) {
      if (!Files.isDirectory(p) || !Files.isReadable(p)) {
        throw new IOException("music folder is not a readable directory: " + p);
      }
      out.add(p.toRealPath());
    }
    return List.copyOf(out);
  }

  /** The music folders in use, as real paths. */
  public List<Path> musicFolders() {
    return musicFolders;
  }

  private static List<String> capabilities() {
    List<String> caps = new ArrayList<>(List.of("resume", "json", "protobuf", "stream:wav"));
    for (StreamFormat f : StreamFormat.availableFormats()) {
      if (f != StreamFormat.WAV16) {
        caps.add("stream:" + f.wireName());
      }
    }
    caps.addAll(Decoders.capabilities());
    return List.copyOf(caps);
  }

  public int port() {
    return server.port();
  }

  /** The bound MPD protocol port, or -1 when it is off. */
  public int mpdPort() {
    return server.mpdPort();
  }

  public EventHub hub() {
    return hub;
  }

  public FrameStreams frames() {
    return frames;
  }

  public Router router() {
    return router;
  }

  /**
   * Completes once the event of {@code seq} is in the relays' Redis streams (true), or could not be
   * confirmed: Redis down, or not within {@code StreamPublisher.CONFIRM_TIMEOUT_MS} (false); at
   * once without {@code --redis}.
   */
  private java.util.concurrent.CompletionStage<Boolean> inRedis(long seq) {
    return publisher == null ? Outbound.NONE.reached(seq) : publisher.inRedis(seq);
  }

  /** The command table every edge (HTTP, the socket, MPD) reaches. */
  public CommandTable commands() {
    return commands.table();
  }

  public Config config() {
    return config;
  }

  private byte[] health() {
    Map<String, Object> subs = new LinkedHashMap<>();
    for (Topic t : Topic.values()) {
      subs.put(t.wireName(), ws.subscribers(t));
    }
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", "ok");
    h.put("version", VERSION);
    h.put("uptime_s", (System.nanoTime() - startedNanos) / 1_000_000_000L);
    h.put("epoch", hub.epoch());
    h.put("seq", hub.currentSeq());
    h.put("connections", ws.connections().get());
    h.put("subscriptions", subs);
    h.put(
        "history",
        Map.of(
            "events", hub.historyEvents(),
            "bytes", hub.historyBytes(),
            "max_events", config.historyEvents(),
            "max_bytes", config.historyBytes()));
    h.put("frame_streams", frames.activeStreams());
    h.put(
        "zones",
        Map.of(
            "count",
            zones.size(),
            "max",
            Zones.MAX_ZONES,
            "playing",
            playSlots.taken(),
            "max_playing",
            playSlots.max()));
    h.put("transport_connections", server.openConnections());
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("max_connections", config.connections().max());
    limits.put("max_connections_per_address", config.connections().maxPerAddress());
    limits.put("header_timeout_ms", config.connections().headerTimeoutMillis());
    limits.put("fd_reserve", config.connections().fdReserve());
    limits.put("fd_limit", server.fdLimit());
    limits.put("max_pipelined", config.maxPipelined());
    Config.Security sec = config.security();
    limits.put("rate_per_token", sec.tokenRate());
    limits.put("burst_per_token", sec.tokenBurst());
    limits.put("rate_per_address", sec.addressRate());
    limits.put("burst_per_address", sec.addressBurst());
    limits.put("max_sockets_per_token", sec.maxSocketsPerToken());
    limits.put("auth_failure_burst", sec.authFailureBurst());
    limits.put("auth_failures_per_minute", sec.authFailuresPerMinute());
    h.put("limits", limits);
    Map<String, Object> acc = new LinkedHashMap<>();
    acc.put("trust_loopback", sec.trustLoopback());
    acc.put("tls", sec.tls());
    acc.put("commands_rate_limited", access.limits().refused());
    acc.put("auth_refused_unchecked", access.limitedAuth());
    h.put("access", acc);
    h.put("transport", server.transport());
    h.put("capabilities", capabilities);
    h.put("opus_decoder", Decoders.opusDecoder());
    h.put("mp3_decoder", Decoders.mp3Decoder());
    if (publisher != null) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("redis", publisher.up() ? "up" : "down");
      r.put("redis_at", redisLink.where());
      r.put("zone_streams", publisher.streams());
      r.put("published_seq", publisher.publishedSeq());
      r.put("behind_events", publisher.behind());
      r.put("losses", publisher.losses());
      r.put("gaps", publisher.gaps());
      r.put("unconfirmed_replies", publisher.unconfirmed());
      r.put("frame_views", framePublisher.views());
      r.put("frames_published", framePublisher.published());
      h.put("publishing", r);
    }
    return JsonText.write(h).getBytes(StandardCharsets.UTF_8);
  }

  /** Who may do what: tokens, tickets, limits, the audit log. */
  public Access access() {
    return access;
  }

  @Override
  public void close() {
    server.stopAccepting();
    fanout.closeAll(CloseCodes.GOING_AWAY, "daemon shutting down");
    if (publisher != null) {
      framePublisher.close();
      publisher.close();
      redisLink.close();
    }
    frames.close();
    zones.close();
    player.close();
    soundSettings.values().forEach(Settings::close);
    settingsThread.shutdown();
    mixers.values().forEach(Mixer::close);
    mixerThread.shutdown();
    lyricsByZone.values().forEach(Lyrics::close);
    lyricsThread.shutdownNow();
    stream.shutdown();
    playlists.close();
    jobs.close();
    try {
      library.close();
    } catch (SQLException e) {
      log.warn("library close failed", e);
    }
    server.close();
    tokenIo.shutdown();
    flushTokens();
    log.info("tonearm stopped");
  }
}
