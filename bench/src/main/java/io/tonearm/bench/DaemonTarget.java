package io.tonearm.bench;

import io.tonearm.client.TonearmClient;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon a load scenario drives: one it starts in a child JVM ({@link DaemonProcess}, with the
 * bench-only additions of {@link BenchDaemon}), or one already running that {@code --url} names
 * ({@link RunningDaemon}). Scenarios ask {@link #benchOnly()} before they use a bench-only route
 * and take a real command instead where there is one. Used from the scenario's main thread.
 */
interface DaemonTarget extends AutoCloseable {

  /** {@code http://host:port} or {@code https://host:port}. */
  URI baseUri();

  /** The access token to present, or null (the bench's own daemon trusts loopback). */
  String token();

  /** The control path: JSON over HTTP with the token. */
  Http http();

  /** The daemon's process id, or -1 when unknown (a running daemon without {@code --pid}). */
  long pid();

  /** Whether the bench-only routes ({@code /api/v1/bench/...}) and the synthetic frames exist. */
  boolean benchOnly();

  /** What {@link Report} says about the daemon: started by the bench, or which URL. */
  String describe();

  /** {@code ws://host:port} + {@code pathAndQuery} ({@code wss} under https). */
  default URI ws(String pathAndQuery) {
    URI b = baseUri();
    String scheme = "https".equals(b.getScheme()) ? "wss" : "ws";
    return URI.create(scheme + "://" + b.getHost() + ":" + b.getPort() + pathAndQuery);
  }

  /** An SDK client builder for this daemon, with its token. */
  default TonearmClient.Builder client() {
    TonearmClient.Builder b = TonearmClient.builder().baseUri(baseUri());
    return token() == null ? b : b.token(token());
  }

  /** CPU seconds (user + system) the daemon has used so far, or NaN when its pid is unknown. */
  default double cpuSeconds() throws IOException {
    return pid() < 0 ? Double.NaN : ProcStat.cpuSeconds(pid());
  }

  /** CPU seconds the daemon has spent in the kernel so far, or NaN when its pid is unknown. */
  default double systemCpuSeconds() throws IOException {
    return pid() < 0 ? Double.NaN : ProcStat.systemCpuSeconds(pid());
  }

  /**
   * Seconds the daemon's threads have spent runnable but waiting for a CPU (how much the machine's
   * other load held it back), or NaN when its pid is unknown.
   */
  default double runQueueWaitSeconds() throws IOException {
    return pid() < 0 ? Double.NaN : ProcStat.runQueueWaitSeconds(pid());
  }

  /** The daemon's counter of dropped frames on {@code topic}, from /metrics. */
  default double droppedFrames(String topic) throws IOException, InterruptedException {
    String body = http().get("/metrics").body();
    Matcher m =
        Pattern.compile(
                "^tonearm_ws_frames_dropped_total\\{topic=\"" + topic + "\"\\} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * Makes the daemon publish {@code n} state events and returns the seq of the last: the bench-only
   * publisher where there is one, else {@code n} real volume commands (41 and 59 in turn; the
   * player and commands topics then carry them, so a stream that checks for gaps subscribes to
   * {@link #stateTopics()}).
   */
  default long publish(int n) throws IOException, InterruptedException {
    if (benchOnly()) {
      return Http.seqOf(http().post("/api/v1/bench/publish?n=" + n, "").body());
    }
    long seq = -1;
    for (int i = 0; i < n; i++) {
      var reply =
          http().post("/api/v1/player/volume", "{\"volume\": " + (i % 2 == 0 ? 41 : 59) + "}");
      if (reply.statusCode() != 200) {
        throw new IOException(
            "POST /api/v1/player/volume answered " + reply.statusCode() + " " + reply.body());
      }
      seq = Http.seqOf(reply.body());
    }
    return seq;
  }

  /**
   * The state topics a checking stream subscribes to: the player's alone with the bench-only
   * publisher (nothing else changes the bench daemon's player, but its other subsystems publish on
   * other topics, so the seqs may rise with gaps: {@link ResumeCheck} counts the events instead),
   * every state topic otherwise, so that the daemon's seqs (one counter over all topics) arrive
   * without gaps.
   */
  default String[] stateTopics() {
    if (benchOnly()) {
      return new String[] {"player"};
    }
    return java.util.Arrays.stream(io.tonearm.daemon.events.Topic.values())
        .filter(t -> t.lane() == io.tonearm.daemon.events.Topic.Lane.STATE)
        .map(io.tonearm.daemon.events.Topic::wireName)
        .toArray(String[]::new);
  }

  @Override
  void close();

  /**
   * The daemon of {@code a}: the one {@code --url} names (with {@code --token}, {@code --pid}),
   * else a bench daemon started now with {@code stateHz} background events and synthetic frames.
   */
  /**
   * The JVM options of the bench's own daemon from {@code --daemon-jvm}: {@code readme} for the
   * README's run options, else the options themselves split at spaces; none when absent (the JVM's
   * defaults with -Xmx1g).
   */
  static List<String> daemonJvm(Args a) {
    String v = a.string("daemon-jvm", "").trim();
    String opts = v.equals("readme") ? PlayCpuBench.README_JAVA_OPTS : v;
    return java.util.Arrays.stream(opts.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
  }

  static DaemonTarget open(Args a, int stateHz, int fps) throws IOException, InterruptedException {
    URI url = a.url();
    if (url == null) {
      return new DaemonProcess(stateHz, fps, List.of(), daemonJvm(a));
    }
    return RunningDaemon.connect(url, a.string("token", null), a.integer("pid", -1));
  }
}
