package io.tonearm.bench;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The daemon jar in a child JVM on a music folder, as the README runs it: {@code java OPTIONS -jar
 * JAR --port P --data-dir TMP --music DIR}, its output in {@code TMP/daemon.log}. {@link #start}
 * returns once {@code /health} answers and the start-up scan is done, so what is measured next is
 * not the scan. The CPU benches (play, views, stems) start their daemons through it. One thread.
 */
final class JarDaemon implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path data;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private JarDaemon(Process process, int port, Path data) {
    this.process = process;
    this.port = port;
    this.data = data;
  }

  /**
   * The JVM's arguments for {@code options}: split at spaces, none when blank ({@link
   * PlayCpuBench#README_JAVA_OPTS} are the README's).
   */
  static List<String> jvmArgs(String options) {
    List<String> out = new ArrayList<>();
    for (String o : options.trim().split("\\s+")) {
      if (!o.isEmpty()) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * The command line: {@code java}, the options, {@code -jar jar}, the port, the data directory and
   * the music folder.
   */
  static List<String> command(String jar, String jvmOptions, int port, Path data, Path music) {
    List<String> cmd = new ArrayList<>();
    cmd.add("java");
    cmd.addAll(jvmArgs(jvmOptions));
    cmd.addAll(
        List.of(
            "-jar",
            jar,
            "--port",
            Integer.toString(port),
            "--data-dir",
            data.toString(),
            "--music",
            music.toString()));
    return cmd;
  }

  /**
   * Starts {@code jar} with {@code jvmOptions} on {@code music}, a fresh data directory named after
   * {@code prefix} and {@code port} (0: a free one), and waits until it is healthy and has scanned.
   */
  static JarDaemon start(String jar, String jvmOptions, Path music, String prefix, int port)
      throws Exception {
    if (port == 0) {
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
    }
    Path data = Files.createTempDirectory(prefix);
    Process p =
        new ProcessBuilder(command(jar, jvmOptions, port, data, music))
            .redirectErrorStream(true)
            .redirectOutput(data.resolve("daemon.log").toFile())
            .start();
    JarDaemon d = new JarDaemon(p, port, data);
    try {
      PlayCpuBench.awaitHealthy(d.http, d.base());
      PlayCpuBench.awaitScanDone(d.http, d.base());
    } catch (Exception | Error e) {
      d.close();
      throw e;
    }
    return d;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** {@code http://127.0.0.1:PORT}. */
  String base() {
    return "http://127.0.0.1:" + port;
  }

  HttpClient http() {
    return http;
  }

  /** Where the daemon keeps its state and log. */
  Path dataDir() {
    return data;
  }

  /** POSTs {@code body} (JSON) to {@code path}; fails unless the answer is 200. */
  void post(String path, String body) throws Exception {
    PlayCpuBench.post(http, base() + path, body);
  }

  /** Queues {@code files} by path ({@code POST /api/v1/queue}). */
  void queue(List<Path> files) throws Exception {
    post("/api/v1/queue", "{\"paths\":[" + pathsJson(files) + "]}");
  }

  /** The paths as JSON strings, comma-separated. */
  static String pathsJson(List<Path> files) {
    return files.stream()
        .map(f -> "\"" + f.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(","));
  }

  /** Stops the daemon (SIGTERM) and waits for it to end. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
