package io.tonearm.daemon.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's package, installed by {@code .ci/run}) on a free loopback
 * port, without persistence, for the relay tests. Missing locally, the tests are skipped with a
 * message; with {@code TONEARM_REQUIRE_REDIS=1} (CI) they fail instead.
 */
public final class RedisServer implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/bin/redis-server");

  private final int port;
  private Process process;

  private RedisServer(int port) {
    this.port = port;
  }

  /** Starts one on a free port, or skips the test when the binary is missing. */
  public static RedisServer start() throws Exception {
    requireBinary();
    RedisServer r = new RedisServer(freePort());
    r.startAgain();
    return r;
  }

  /** Starts one on {@code port} (a test that first had Redis down there). */
  public static RedisServer onPort(int port) throws Exception {
    requireBinary();
    RedisServer r = new RedisServer(port);
    r.startAgain();
    return r;
  }

  /** A free port on which no server runs (for "Redis is down" cases). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void requireBinary() {
    boolean there = Files.isExecutable(BINARY);
    if (!there && "1".equals(System.getenv("TONEARM_REQUIRE_REDIS"))) {
      throw new IllegalStateException("redis-server is required (TONEARM_REQUIRE_REDIS=1)");
    }
    Assumptions.assumeTrue(
        there, "redis-server is not installed (apt-get install redis-server): relay tests skipped");
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (again, after {@link #stop}) on the same port, empty, and waits for it. */
  public void startAgain() throws Exception {
    process =
        new ProcessBuilder(
                List.of(
                    BINARY.toString(),
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--protected-mode",
                    "no"))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (ping()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("redis-server did not answer on port " + port);
  }

  /** Kills the server (its data goes with it: no persistence). */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
      process = null;
    }
  }

  /** Stops the server's process (SIGSTOP): it holds its connections and answers nothing. */
  public void pause() throws Exception {
    signal("-STOP");
  }

  /** Lets a paused server go on (SIGCONT). */
  public void resume() throws Exception {
    signal("-CONT");
  }

  private void signal(String sig) throws Exception {
    Process k = new ProcessBuilder("kill", sig, Long.toString(process.pid())).start();
    if (k.waitFor() != 0) {
      throw new IllegalStateException("kill " + sig + " failed");
    }
  }

  /** Sends one inline command and returns the first line of the answer. */
  public String command(String line) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        sb.append((char) c);
      }
      return sb.toString().trim();
    }
  }

  private boolean ping() {
    try {
      return command("PING").equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
