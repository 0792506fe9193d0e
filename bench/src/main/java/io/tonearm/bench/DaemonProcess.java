package io.tonearm.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The daemon under test in a child JVM ({@link BenchDaemon}, from this bench's own class path), so
 * that its CPU time is its own: read from {@code /proc/<pid>/stat}, in cores.
 */
final class DaemonProcess implements DaemonTarget {

  private final Process process;
  private final int port;
  private final Http http;
  private final List<String> jvmOptions;

  DaemonProcess(int stateHz, int fps) throws IOException, InterruptedException {
    this(stateHz, fps, List.of());
  }

  /** The bench daemon with {@code extra} flags (e.g. {@code --redis URL}). */
  DaemonProcess(int stateHz, int fps, List<String> extra) throws IOException, InterruptedException {
    this(stateHz, fps, extra, List.of());
  }

  /**
   * The bench daemon with {@code extra} flags and {@code jvmOptions} after the default -Xmx1g (a
   * later -Xmx wins).
   */
  DaemonProcess(int stateHz, int fps, List<String> extra, List<String> jvmOptions)
      throws IOException, InterruptedException {
    this(
        freePort(),
        List.of(),
        jvmOptions,
        BenchDaemon.class.getName(),
        benchArgs(stateHz, fps, extra));
  }

  /** The bench daemon on {@code port} (0: a free one) with {@code extra} flags. */
  static DaemonProcess onPort(int port, int stateHz, int fps, List<String> extra)
      throws IOException, InterruptedException {
    return new DaemonProcess(
        port == 0 ? freePort() : port,
        List.of(),
        List.of(),
        BenchDaemon.class.getName(),
        benchArgs(stateHz, fps, extra));
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
    return relay(redis, originPort, List.of());
  }

  /** {@link #relay(String, int)} with extra JVM options (e.g. a flight recording). */
  static DaemonProcess relay(String redis, int originPort, List<String> jvmOptions)
      throws IOException, InterruptedException {
    return relay(redis, originPort, jvmOptions, List.of());
  }

  /** {@link #relay(String, int, List)} with extra relay flags (e.g. {@code --io-uring on}). */
  static DaemonProcess relay(
      String redis, int originPort, List<String> jvmOptions, List<String> flags)
      throws IOException, InterruptedException {
    return relay(0, redis, originPort, jvmOptions, flags);
  }

  /** {@link #relay(String, int, List, List)} on {@code port} (0: a free one). */
  static DaemonProcess relay(
      int port, String redis, int originPort, List<String> jvmOptions, List<String> flags)
      throws IOException, InterruptedException {
    return relay(port, redis, originPort, jvmOptions, flags, List.of());
  }

  /**
   * {@link #relay(int, String, int, List, List)} started through {@code launcher} (the words before
   * {@code java}, e.g. {@code taskset -c 0}; empty: none).
   */
  static DaemonProcess relay(
      int port,
      String redis,
      int originPort,
      List<String> jvmOptions,
      List<String> flags,
      List<String> launcher)
      throws IOException, InterruptedException {
    Path data = Files.createTempDirectory("tonearm-bench-relay");
    List<String> args =
        new ArrayList<>(
            List.of(
                "relay",
                "--redis",
                redis,
                "--origin",
                "http://127.0.0.1:" + originPort,
                "--data-dir",
                data.toString()));
    args.addAll(flags);
    return new DaemonProcess(
        port == 0 ? freePort() : port, launcher, jvmOptions, "io.tonearm.daemon.Main", args);
  }

  private DaemonProcess(
      int port, List<String> launcher, List<String> jvmOptions, String main, List<String> args)
      throws IOException, InterruptedException {
    this.port = port;
    this.jvmOptions = jvmOptions;
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main);
    cmd.addAll(args);
    cmd.addAll(List.of("--port", Integer.toString(port)));
    Path log = Files.createTempFile("tonearm-bench-daemon", ".log");
    this.process =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    this.http = new Http(URI.create("http://127.0.0.1:" + port), null);
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

  @Override
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public String token() {
    return null;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public Http http() {
    return http;
  }

  @Override
  public boolean benchOnly() {
    return true;
  }

  @Override
  public String describe() {
    return "bench daemon started by the bench (child JVM, -Xmx1g"
        + (jvmOptions.isEmpty() ? "" : " " + String.join(" ", jvmOptions))
        + ")";
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
