package io.tonearm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.audio.GaplessJoint;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.config.ConfigLoader;
import io.tonearm.daemon.testing.LinkTrees;
import io.tonearm.daemon.testing.TestDaemons;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as a process: started by {@link Main}, stopped by a signal. */
class MainTest {
  @TempDir Path dir;

  /** Starts {@code Main} in a child JVM with INFO logging; returns it once it listens. */
  static Started start(Path data, Path music) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                mainClassPath(),
                Main.class.getName(),
                "--port",
                "0",
                "--data-dir",
                data.toString(),
                "--music",
                music.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("listening on http://[^:]+:(\\d+)");
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  Matcher m = listening.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (Exception e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(new AssertionError("daemon ended before listening"));
            });
    reader.setDaemon(true);
    reader.start();
    try {
      return new Started(p, port.get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /**
   * The test JVM's class path without the test classes: the child runs as an installed daemon, with
   * the logging set up in code ({@code ops.Logging}) instead of the tests' {@code
   * logback-test.xml}.
   */
  static String mainClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Path.of(e).endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  record Started(Process process, int port) {
    HttpResponse<String> send(String method, String path, String body) throws Exception {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(20))
                  .header("Content-Type", "application/json")
                  .method(method, HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void sigtermStopsTheDaemonWhileItWatchesADiamondOfLinks() throws Exception {
    Path music = Files.createDirectories(dir.resolve("music"));
    Path diamond = LinkTrees.diamond(dir.resolve("diamond"), 40); // 2^40 paths
    Started d = start(Files.createDirectories(dir.resolve("data")), music);
    try {
      HttpResponse<String> added =
          d.send("POST", "/api/v1/library/folders", "{\"path\": \"" + diamond + "\"}");
      assertEquals(201, added.statusCode(), added.body());
      assertEquals(200, d.send("GET", "/api/v1/library", "").statusCode());
      d.process().destroy(); // SIGTERM
      assertTrue(d.process().waitFor(10, TimeUnit.SECONDS), "still running 10 s after SIGTERM");
    } finally {
      d.process().destroyForcibly();
    }
  }

  @Test
  void anAcknowledgedChangeSurvivesKillMinus9RightAfterTheReply() throws Exception {
    Path music = Files.createDirectories(dir.resolve("music"));
    Files.copy(GaplessJoint.fixture("1s_440Hz_44k1_mono_16bit.wav"), music.resolve("tone.wav"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Started d = start(data, music);
    try {
      HttpResponse<String> q =
          d.send("POST", "/api/v1/queue/append", "{\"paths\": [\"tone.wav\"]}");
      assertEquals(200, q.statusCode(), q.body());
      HttpResponse<String> v = d.send("POST", "/api/v1/player/volume", "{\"volume\": 37}");
      assertEquals(200, v.statusCode(), v.body());
      String log = Files.readString(data.resolve("logs").resolve("tonearm.log"));
      assertTrue(
          Pattern.compile(
                  "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Daemon - tonearm .* listening on",
                  Pattern.MULTILINE)
              .matcher(log)
              .find(),
          "the log file under DATA_DIR/logs has the dated start line: " + log);
    } finally {
      d.process().destroyForcibly().waitFor(); // SIGKILL at once: no hook, no delayed save
    }
    try (Daemon again = TestDaemons.settled(Config.defaults(0, data).withMusic(List.of(music)))) {
      assertTrue(
          TestDaemons.get(again.port(), "/api/v1/player").body().contains("\"volume\":37"),
          "volume lost");
      assertTrue(
          TestDaemons.get(again.port(), "/api/v1/queue").body().contains("tone.wav"), "queue lost");
    }
  }

  @Test
  void nettysFlightRecorderEventsAreOffUnlessTheCommandLineAsksForThem() {
    String before = System.getProperty("io.netty.jfr.enabled");
    try {
      System.clearProperty("io.netty.jfr.enabled");
      Main.withoutNettyFlightRecorderEvents();
      assertEquals("false", System.getProperty("io.netty.jfr.enabled"));
      System.setProperty("io.netty.jfr.enabled", "true");
      Main.withoutNettyFlightRecorderEvents();
      assertEquals("true", System.getProperty("io.netty.jfr.enabled"));
    } finally {
      if (before == null) {
        System.clearProperty("io.netty.jfr.enabled");
      } else {
        System.setProperty("io.netty.jfr.enabled", before);
      }
    }
  }

  private Config bindTo(String host) throws Exception {
    return ConfigLoader.load(
        new String[] {
          "--bind", host, "--port", "0", "--data-dir", dir.toString(), "--music", dir.toString()
        },
        Map.of());
  }

  @Test
  void unresolvableBindNamesTheAddressAndSaysWhy() throws Exception {
    Config c = bindTo("nosuchhost.invalid");
    Exception e = assertThrows(Exception.class, () -> Daemon.start(c).close());
    String m = Main.describe(c, e);
    assertTrue(m.startsWith("cannot listen on nosuchhost.invalid:0: "), m);
    assertTrue(m.contains("does not resolve"), m);
  }

  @Test
  void busyPortSaysAddressInUse() throws Exception {
    Config c = bindTo("127.0.0.1");
    String m = Main.describe(c, new BindException("Address already in use"));
    assertEquals(
        "cannot listen on 127.0.0.1:0: address in use (another tonearm? choose another --port)", m);
  }

  @Test
  void anyOtherFailureKeepsItsMessageOrItsType() throws Exception {
    Config c = bindTo("127.0.0.1");
    assertEquals("cannot start: disk full", Main.describe(c, new java.io.IOException("disk full")));
    assertEquals(
        "cannot start: java.lang.IllegalStateException",
        Main.describe(c, new IllegalStateException()));
  }

  @Test
  void exitOnOutOfMemoryIsKnownFromTheCommandLineOnlyWhenNothingElseCouldSetIt() {
    String f = "ExitOnOutOfMemoryError";
    List<String> readme = List.of("java", "-Xmx256m", "-XX:+" + f, "-jar", "d.jar", "-XX:-" + f);
    assertTrue(Main.onInCommandLine(f, readme, Map.of()));
    assertFalse(
        Main.onInCommandLine(f, List.of("java", "-XX:+" + f, "-XX:-" + f, "-jar"), Map.of()),
        "the last setting wins");
    assertFalse(Main.onInCommandLine(f, List.of("java", "-jar", "d.jar"), Map.of()));
    assertFalse(
        Main.onInCommandLine(f, readme, Map.of("_JAVA_OPTIONS", "-XX:-" + f)),
        "an environment option could turn it off");
    assertFalse(
        Main.onInCommandLine(f, List.of("java", "@opts", "-XX:+" + f, "-jar"), Map.of()),
        "an argument file could");
    assertTrue(Main.onInCommandLine(f, readme, Map.of("JAVA_TOOL_OPTIONS", "-Xss1m")));
  }
}
