package io.tonearm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JarDaemonTest {

  @Test
  void theCommandLineIsJavaTheOptionsTheJarAndTheDaemonsFlags() {
    assertEquals(
        List.of(
            "java",
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-jar",
            "d.jar",
            "--port",
            "7160",
            "--data-dir",
            "/tmp/data",
            "--music",
            "/music"),
        JarDaemon.command(
            "d.jar",
            "  -Xmx64m   -XX:+UseSerialGC ",
            7160,
            Path.of("/tmp/data"),
            Path.of("/music")));
    assertEquals(
        List.of("java", "-jar", "d.jar", "--port", "1", "--data-dir", "/d", "--music", "/m"),
        JarDaemon.command("d.jar", "", 1, Path.of("/d"), Path.of("/m")));
  }

  @Test
  void pathsAreJsonStringsWithQuotesAndBackslashesEscaped() {
    assertEquals(
        "\"/m/a b.flac\",\"/m/say \\\"hi\\\".flac\",\"/m/x\\\\y.flac\"",
        JarDaemon.pathsJson(
            List.of(
                Path.of("/m/a b.flac"), Path.of("/m/say \"hi\".flac"), Path.of("/m/x\\y.flac"))));
  }
}
