package io.tonearm.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon under test in a child JVM ({@link BenchDaemon}, from this bench's own class path), so
 * that its CPU time is its own: read from {@code /proc/<pid>/stat}, in cores.
 */
final class DaemonProcess implements AutoCloseable {

  /** Linux USER_HZ: the unit of utime and stime in /proc/<pid>/stat. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final Process process;
  private final int port;
  private final Http http;

  DaemonProcess(int stateHz, int fps) throws IOException, InterruptedException {
    this(stateHz, fps, List.of());
  }

  /** The bench daemon with {@code extra} flags (e.g. {@code --redis URL}). */
  DaemonProcess(int stateHz, int fps, List<String> extra) throws IOException, InterruptedException {
    this(freePort(), BenchDaemon.class.getName(), benchArgs(stateHz, fps, extra));
  }

  private static List<String> benchArgs(int stateHz, int fps, List<String> extra) {
    List<String> a =
        new ArrayList<>(
            List.of("--state-hz", Integer.toString(stateHz), "--fps", Integer.toString(fps)));
    a.addAll(extra);
    return a;
  }

  /** A relay ({@code Main relay}) of the origin on {@code originPort}, following {@code redis}. */
  static DaemonProcess relay(String redis, int originPort)
      throws IOException, InterruptedException {
    Path data = Files.createTempDirectory("tonearm-bench-relay");
    return new DaemonProcess(
        freePort(),
        "io.tonearm.daemon.Main",
        List.of(
            "relay",
            "--redis",
            redis,
            "--origin",
            "http://127.0.0.1:" + originPort,
            "--data-dir",
            data.toString()));
  }

  private DaemonProcess(int port, String main, List<String> args)
      throws IOException, InterruptedException {
    this.port = port;
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main);
    cmd.addAll(args);
    cmd.addAll(List.of("--port", Integer.toString(port)));
    Path log = Files.createTempFile("tonearm-bench-daemon", ".log");
    this.process =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    this.http = new Http(port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // slow on a loaded machine
    while (true) {
      try {
        if (http.get("/health").statusCode() == 200
            && !http.get("/health").body().contains("\"unavailable\"")) {
          break;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IOException("bench daemon did not start; see " + log);
      }
      Thread.sleep(100);
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  Http http() {
    return http;
  }

  /** CPU seconds (user + system) the daemon has used so far. */
  double cpuSeconds() throws IOException {
    return cpuSeconds(process.pid());
  }

  /** CPU seconds (user + system) of process {@code pid}, from /proc. */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }

  /**
   * Seconds the daemon's threads have spent runnable but waiting for a CPU, summed over its threads
   * (second field of /proc/<pid>/task/<tid>/schedstat, in ns): how much the machine's other load
   * held it back. Threads that ended are not counted.
   */
  double runQueueWaitSeconds() throws IOException {
    return runQueueWaitSeconds(process.pid());
  }

  static double runQueueWaitSeconds(long pid) throws IOException {
    long ns = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String[] f = Files.readString(t.resolve("schedstat")).trim().split(" ");
          ns += Long.parseLong(f[1]);
        } catch (IOException e) {
          // The thread ended meanwhile.
        }
      }
    }
    return ns / 1e9;
  }

  /** The daemon's counter of dropped frames on {@code topic}, from /metrics. */
  double droppedFrames(String topic) throws IOException, InterruptedException {
    String body = http.get("/metrics").body();
    Matcher m =
        Pattern.compile(
                "^tonearm_ws_frames_dropped_total\\{topic=\"" + topic + "\"\\} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
