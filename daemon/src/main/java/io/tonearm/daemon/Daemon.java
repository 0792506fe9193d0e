package io.tonearm.daemon;

import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.decode.DecoderPlugin;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.ops.JsonText;
import io.tonearm.daemon.ops.Metrics;
import io.tonearm.daemon.transport.Server;
import io.tonearm.daemon.transport.http.HttpContext;
import io.tonearm.daemon.transport.http.StaticFiles;
import io.tonearm.daemon.transport.ws.CloseCodes;
import io.tonearm.daemon.transport.ws.Fanout;
import io.tonearm.daemon.transport.ws.WsContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private Daemon(Config config) throws Exception {
    this.config = config;
    this.hub = new EventHub(config.historyEvents(), config.historyBytes(), Daemon::nowMicros);
    this.frames = new FrameStreams(hub.epoch(), Daemon::nowMicros);
    this.fanout = new Fanout((s, n) -> metrics.dropped(s.topic(), n));
    hub.addListener(fanout);
    frames.addListener(fanout);
    this.capabilities = capabilities();
    this.ws =
        new WsContext(
            hub,
            frames,
            fanout,
            metrics,
            config.clientBudgetBytes(),
            config.maxMissedPongs(),
            VERSION,
            capabilities,
            new AtomicInteger(),
            new AtomicLong(),
            new AtomicIntegerArray(Topic.values().length));
    metrics.gauge(
        "tonearm_ws_open_connections", "Open WebSocket connections", () -> ws.connections().get());
    metrics.gauge("tonearm_state_seq", "Seq of the newest state event", hub::currentSeq);
    metrics.gauge("tonearm_history_events", "State events kept for resume", hub::historyEvents);
    metrics.gauge("tonearm_history_bytes", "Encoded bytes kept for resume", hub::historyBytes);
    metrics.gauge(
        "tonearm_history_capacity_events", "Bound on kept state events", hub::historyCapacity);
    metrics.gauge("tonearm_frame_streams", "Frame streams running", frames::activeStreams);
    HttpContext http =
        new HttpContext(router, metrics, new StaticFiles(), this::health, config.maxPipelined());
    this.server = new Server(config, ws, http);
  }

  /**
   * Starts the daemon on the configured address.
   *
   * @throws java.net.BindException when the port is busy
   */
  public static Daemon start(Config config) throws Exception {
    Daemon d = new Daemon(config);
    log.info(
        "tonearm {} listening on http://{}:{} ({} transport), epoch {}",
        VERSION,
        config.bind(),
        d.port(),
        d.server.nativeTransport() ? "epoll" : "nio",
        d.hub.epoch());
    return d;
  }

  private static List<String> capabilities() {
    List<String> caps = new ArrayList<>(List.of("resume", "json", "protobuf"));
    for (DecoderPlugin p : Decoders.plugins()) {
      caps.add("decoder:" + p.name());
    }
    return List.copyOf(caps);
  }

  static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  public int port() {
    return server.port();
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
    h.put("transport", server.nativeTransport() ? "epoll" : "nio");
    h.put("capabilities", capabilities);
    return JsonText.write(h).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stopAccepting();
    fanout.closeAll(CloseCodes.GOING_AWAY, "daemon shutting down");
    frames.close();
    server.close();
    log.info("tonearm stopped");
  }
}
