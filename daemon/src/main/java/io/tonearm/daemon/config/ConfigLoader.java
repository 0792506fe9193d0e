package io.tonearm.daemon.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads {@link Config} from command-line flags ({@code --port 7700} or {@code --port=7700}),
 * environment variables ({@code TONEARM_PORT}) and an optional properties file ({@code --config
 * FILE} or {@code TONEARM_CONFIG}, keys as the flags without dashes: {@code port=7700}). Flags win
 * over the environment, the environment over the file.
 */
public final class ConfigLoader {

  /** A bad setting, with a one-line message for the user. */
  public static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }

  /** Every setting: its flag name, value kind and help. Lists may be given more than once. */
  private record Key(String name, String help, boolean list) {}

  private static final List<Key> KEYS =
      List.of(
          new Key("bind", "address to listen on (default 127.0.0.1)", false),
          new Key("port", "TCP port, 0 = any free port (default 7700)", false),
          new Key(
              "data-dir",
              "state, database and demo library (default: the per-user data directory,"
                  + " e.g. ~/.local/share/tonearm)",
              false),
          new Key(
              "music", "a music folder; repeat for more (default: built-in demo library)", true),
          new Key("allow-origin", "a browser origin allowed besides loopback; repeatable", true),
          new Key(
              "allow-host",
              "a host name requests may be addressed to (Host header) besides the bind address;"
                  + " repeatable",
              true),
          new Key("max-connections", "open connections in all (default 10000)", false),
          new Key(
              "max-connections-per-address",
              "open connections from one remote address, loopback exempt (default 256)",
              false),
          new Key("header-timeout-ms", "time for a request's headers (default 10000)", false),
          new Key("fd-reserve", "file descriptors kept free for the daemon (default 256)", false),
          new Key(
              "max-pending-replies",
              "WebSocket replies a client may leave unread before close 4002 (default 256)",
              false),
          new Key("max-body-bytes", "largest HTTP request body (default 1048576)", false),
          new Key("max-header-bytes", "largest HTTP header block (default 16384)", false),
          new Key(
              "max-frame-bytes", "largest WebSocket message from a client (default 65536)", false),
          new Key("max-pipelined", "queued HTTP requests per connection (default 16)", false),
          new Key("handshake-timeout-ms", "WebSocket upgrade time limit (default 10000)", false),
          new Key("idle-seconds", "idle HTTP close / WebSocket ping interval (default 30)", false),
          new Key("max-missed-pongs", "unanswered pings before close 4001 (default 2)", false),
          new Key("history-events", "state events kept for resume (default 65536)", false),
          new Key("history-bytes", "state-event bytes kept for resume (default 33554432)", false),
          new Key(
              "client-budget-bytes", "state-lane lag before close 4000 (default 8388608)", false),
          new Key("send-buffer-bytes", "SO_SNDBUF per connection (default 65536)", false),
          new Key(
              "io-uring",
              "on|off: sockets on Linux's io_uring instead of epoll, where the kernel allows it"
                  + " (default off; on for a relay)",
              false),
          new Key("transport-fps", "default transport frame rate, 1-120 (default 10)", false),
          new Key(
              "output-rate",
              "Hz every output opens at, 8000-384000, other rates resampled;"
                  + " 0 = each item's own (default 0)",
              false),
          new Key(
              "mpd-port",
              "serve MPD's protocol on this port too, 0 = any free port (default: off)",
              false),
          new Key(
              "dither",
              "on|off: TPDF dither where a gain, resampling or a deeper source shortens"
                  + " the words of the 16/24-bit outputs (default on)",
              false),
          new Key(
              "max-playing-zones",
              "zones playing or paused at once, 1-128; each holds ~10 MB of audio (default 8)",
              false),
          new Key(
              "trust-loopback",
              "on|off: clients on this machine need no token (default on)",
              false),
          new Key("rate-per-token", "commands per second per token, sustained (default 50)", false),
          new Key("burst-per-token", "commands at once per token (default 200)", false),
          new Key(
              "rate-per-address",
              "commands per second per non-loopback address, sustained (default 100)",
              false),
          new Key("burst-per-address", "commands at once per address (default 400)", false),
          new Key(
              "max-sockets-per-token",
              "open WebSockets and MPD connections per token (default 64)",
              false),
          new Key(
              "auth-failure-burst",
              "failed authentications per address before it is limited (default 20)",
              false),
          new Key(
              "auth-failures-per-minute",
              "failed authentications an address regains per minute (default 10)",
              false),
          new Key("tls-cert", "PEM certificate chain: serve HTTPS and WSS on the port", false),
          new Key("tls-key", "PEM PKCS#8 private key of --tls-cert", false),
          new Key(
              "redis",
              "redis://host:port: publish every state event and frame there, for relays"
                  + " (origin); follow it (relay, required)",
              false),
          new Key("redis-stream-events", "stream entries kept per zone (default 65536)", false),
          new Key(
              "redis-stream-bytes", "event bytes kept per zone stream (default 33554432)", false),
          new Key(
              "origin",
              "relay only: http://host:port of the origin, where commands and /api go",
              false),
          new Key("config", "a properties file with any of these keys", false));

  private ConfigLoader() {}

  /** The usage text for {@code --help}. */
  public static String usage() {
    StringBuilder sb =
        new StringBuilder(
            "Usage: java -jar tonearm-daemon.jar [options]\n"
                + "       java -jar tonearm-daemon.jar relay --redis URL --origin URL [options]\n"
                + "\nOptions:\n");
    for (Key k : KEYS) {
      sb.append(String.format("  --%-22s %s%n", k.name + " V", k.help));
    }
    sb.append(String.format("  --%-22s %s%n", "help", "print this and exit"));
    sb.append("\nEach option can also be set as TONEARM_<NAME> (e.g. TONEARM_PORT=7701;")
        .append(" lists comma-separated).\n");
    return sb.toString();
  }

  /**
   * Builds the configuration of a daemon (an origin).
   *
   * @throws ConfigException on an unknown flag, a missing or malformed value, or an unreadable file
   */
  public static Config load(String[] args, Map<String, String> env) throws ConfigException {
    return load(args, env, false);
  }

  /**
   * Builds the configuration of a daemon, or of a relay when {@code relay}: a relay's sockets are
   * on io_uring unless {@code --io-uring off}. A relay is a fan-out node, and most of its CPU is
   * one send per socket per frame, which io_uring batches (bench/README.md, "Issue 13, eleventh
   * session: relays"); the 5-7 MB of idle memory that keeps io_uring off for an origin does not
   * matter there.
   *
   * @throws ConfigException on an unknown flag, a missing or malformed value, or an unreadable file
   */
  public static Config load(String[] args, Map<String, String> env, boolean relay)
      throws ConfigException {
    Map<String, List<String>> merged = merged(args, env);
    Config d = Config.defaults(7700, DataDir.platformDefault(env));
    if (relay) {
      d = d.toBuilder().ioUring(true).build();
    }
    List<Path> music = new ArrayList<>();
    for (String m : merged.getOrDefault("music", List.of())) {
      music.add(Path.of(m.trim()));
    }
    return new Config(
        merged.containsKey("bind") ? merged.get("bind").get(0) : d.bind(),
        intValue(merged, "port", d.port(), 0, 65535),
        merged.containsKey("data-dir") ? Path.of(merged.get("data-dir").get(0)) : d.dataDir(),
        music,
        new LinkedHashSet<>(merged.getOrDefault("allow-origin", List.of())),
        intValue(merged, "max-body-bytes", d.maxBodyBytes(), 1024, 256 << 20),
        intValue(merged, "max-header-bytes", d.maxHeaderBytes(), 1024, 1 << 20),
        intValue(merged, "max-frame-bytes", d.maxFrameBytes(), 1024, 16 << 20),
        intValue(merged, "max-pipelined", d.maxPipelined(), 1, 1024),
        intValue(merged, "handshake-timeout-ms", d.handshakeTimeoutMillis(), 100, 600_000),
        intValue(merged, "idle-seconds", d.idleSeconds(), 1, 86_400),
        intValue(merged, "max-missed-pongs", d.maxMissedPongs(), 1, 100),
        intValue(merged, "history-events", d.historyEvents(), 16, 10_000_000),
        intValue(
            merged,
            "history-bytes",
            (int) Math.min(d.historyBytes(), Integer.MAX_VALUE),
            4096,
            Integer.MAX_VALUE),
        intValue(
            merged, "client-budget-bytes", (int) d.clientBudgetBytes(), 4096, Integer.MAX_VALUE),
        intValue(merged, "send-buffer-bytes", d.sendBufferBytes(), 4096, 64 << 20),
        onOff(merged, "io-uring", d.ioUring()),
        intValue(merged, "transport-fps", d.transportFps(), 1, 120),
        outputRate(merged),
        intValue(merged, "mpd-port", d.mpdPort(), -1, 65535),
        dither(merged, d.dither()),
        intValue(
            merged,
            "max-playing-zones",
            d.maxPlayingZones(),
            1,
            io.tonearm.daemon.zones.Zones.MAX_ZONES),
        connections(merged, d.connections()),
        security(merged, d.security()));
  }

  /**
   * The Redis settings: for the origin, absent ({@code url} null) unless {@code --redis} is given;
   * for a relay ({@code relay} true) {@code --redis} and {@code --origin} are required.
   *
   * @throws ConfigException on a missing or malformed value
   */
  public static RedisConfig redis(String[] args, Map<String, String> env, boolean relay)
      throws ConfigException {
    Map<String, List<String>> m = merged(args, env);
    String url = m.containsKey("redis") ? m.get("redis").get(0).trim() : null;
    String origin = m.containsKey("origin") ? m.get("origin").get(0).trim() : null;
    if (url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw new ConfigException("--redis must be a redis:// or rediss:// URL, got '" + url + "'");
    }
    if (relay) {
      if (url == null) {
        throw new ConfigException("a relay needs --redis redis://host:port");
      }
      if (origin == null) {
        throw new ConfigException("a relay needs --origin http://host:port (the origin daemon)");
      }
      if (!origin.matches("https?://[^/?#]+/?")) {
        throw new ConfigException(
            "--origin must be http://host:port or https://host:port, got '" + origin + "'");
      }
      origin = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    } else if (origin != null) {
      throw new ConfigException("--origin is for a relay (java -jar ... relay ...)");
    }
    return new RedisConfig(
        url,
        origin,
        intValue(m, "redis-stream-events", RedisConfig.DEFAULT_STREAM_EVENTS, 16, 10_000_000),
        intValue(
            m,
            "redis-stream-bytes",
            (int) RedisConfig.DEFAULT_STREAM_BYTES,
            4096,
            Integer.MAX_VALUE));
  }

  private static Map<String, List<String>> merged(String[] args, Map<String, String> env)
      throws ConfigException {
    Map<String, List<String>> flags = parseFlags(args);
    Map<String, List<String>> merged = new LinkedHashMap<>();
    String file =
        flags.containsKey("config") ? flags.get("config").get(0) : env.get("TONEARM_CONFIG");
    if (file != null) {
      merged.putAll(readFile(Path.of(file)));
    }
    for (Key k : KEYS) {
      String v = env.get("TONEARM_" + k.name.toUpperCase(Locale.ROOT).replace('-', '_'));
      if (v != null && !v.isEmpty()) {
        merged.put(k.name, k.list ? List.of(v.split(",")) : List.of(v));
      }
    }
    merged.putAll(flags);
    return merged;
  }

  private static Config.Security security(Map<String, List<String>> m, Config.Security d)
      throws ConfigException {
    Path cert = m.containsKey("tls-cert") ? Path.of(m.get("tls-cert").get(0).trim()) : null;
    Path key = m.containsKey("tls-key") ? Path.of(m.get("tls-key").get(0).trim()) : null;
    if ((cert == null) != (key == null)) {
      throw new ConfigException("--tls-cert and --tls-key go together: give both or neither");
    }
    for (Path p : new Path[] {cert, key}) {
      if (p != null && !Files.isReadable(p)) {
        throw new ConfigException("cannot read TLS file " + p);
      }
    }
    return new Config.Security(
        onOff(m, "trust-loopback", d.trustLoopback()),
        intValue(m, "rate-per-token", (int) d.tokenRate(), 1, 1_000_000),
        intValue(m, "burst-per-token", d.tokenBurst(), 1, 1_000_000),
        intValue(m, "rate-per-address", (int) d.addressRate(), 1, 1_000_000),
        intValue(m, "burst-per-address", d.addressBurst(), 1, 1_000_000),
        intValue(m, "max-sockets-per-token", d.maxSocketsPerToken(), 1, 1_000_000),
        intValue(m, "auth-failure-burst", d.authFailureBurst(), 1, 1_000_000),
        intValue(m, "auth-failures-per-minute", (int) d.authFailuresPerMinute(), 1, 1_000_000),
        cert,
        key);
  }

  private static boolean onOff(Map<String, List<String>> m, String name, boolean fallback)
      throws ConfigException {
    List<String> v = m.get(name);
    if (v == null) {
      return fallback;
    }
    return switch (v.get(0).trim()) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new ConfigException("--" + name + " must be on or off, got " + v.get(0));
    };
  }

  private static Config.Connections connections(Map<String, List<String>> m, Config.Connections d)
      throws ConfigException {
    Set<String> hosts = new LinkedHashSet<>();
    for (String h : m.getOrDefault("allow-host", List.of())) {
      String name = h.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty() || name.contains("/") || name.contains("@")) {
        throw new ConfigException("--allow-host must be a host name, got '" + h + "'");
      }
      hosts.add(name);
    }
    return new Config.Connections(
        hosts,
        intValue(m, "max-connections", d.max(), 1, 1_000_000),
        intValue(m, "max-connections-per-address", d.maxPerAddress(), 1, 1_000_000),
        intValue(m, "header-timeout-ms", d.headerTimeoutMillis(), 100, 600_000),
        intValue(m, "fd-reserve", d.fdReserve(), 0, 1_000_000),
        intValue(m, "max-pending-replies", d.maxPendingReplies(), 1, 1_000_000));
  }

  private static boolean dither(Map<String, List<String>> m, boolean fallback)
      throws ConfigException {
    List<String> v = m.get("dither");
    if (v == null) {
      return fallback;
    }
    return switch (v.get(0).trim()) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new ConfigException("--dither must be on or off, got " + v.get(0));
    };
  }

  private static int outputRate(Map<String, List<String>> m) throws ConfigException {
    int r = intValue(m, "output-rate", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
    if (r != 0 && (r < Config.MIN_OUTPUT_RATE || r > Config.MAX_OUTPUT_RATE)) {
      throw new ConfigException(
          "--output-rate must be 0 (follow each item) or "
              + Config.MIN_OUTPUT_RATE
              + " to "
              + Config.MAX_OUTPUT_RATE
              + ", got "
              + r);
    }
    return r;
  }

  private static Map<String, List<String>> parseFlags(String[] args) throws ConfigException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new ConfigException("unexpected argument '" + a + "' (see --help)");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new ConfigException("--" + name + " needs a value (see --help)");
      }
      Key key = key(name);
      List<String> values = out.computeIfAbsent(name, k -> new ArrayList<>());
      if (!key.list) {
        values.clear();
      }
      values.add(value);
    }
    return out;
  }

  private static Key key(String name) throws ConfigException {
    for (Key k : KEYS) {
      if (k.name.equals(name)) {
        return k;
      }
    }
    throw new ConfigException("unknown option --" + name + " (see --help)");
  }

  private static Map<String, List<String>> readFile(Path file) throws ConfigException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : p.stringPropertyNames()) {
      Key k = key(name);
      String v = p.getProperty(name);
      out.put(name, k.list ? List.of(v.split(",")) : List.of(v));
    }
    return out;
  }

  private static int intValue(
      Map<String, List<String>> m, String name, int fallback, int min, int max)
      throws ConfigException {
    List<String> v = m.get(name);
    if (v == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(v.get(0).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException("--" + name + " must be an integer, got '" + v.get(0) + "'");
    }
    if (n < min || n > max) {
      throw new ConfigException("--" + name + " must be " + min + " to " + max + ", got " + n);
    }
    return n;
  }
}
