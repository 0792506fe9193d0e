package io.tonearm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An MPD process for the {@code --against-mpd} comparisons: Debian's {@code mpd} on 127.0.0.1 and a
 * free port, a clocked null output ({@code sync yes}) with a software mixer, no automatic update,
 * its database, log and playlists in a temporary folder, and a music folder given by the scenario.
 * {@link #command} sends one protocol command on a connection of its own and returns the answer's
 * lines. The bench starts it and stops it ({@link #close}); no other MPD is touched.
 */
final class MpdProcess implements AutoCloseable {

  private final Path dir;
  private final Process mpd;
  private final int port;

  /**
   * Starts MPD on {@code music} with its state in a new temporary folder. With no database file MPD
   * updates the whole music folder at once; {@link #withEmptyDatabase} avoids that.
   */
  MpdProcess(Path music) throws IOException, InterruptedException {
    this(music, Files.createTempDirectory("tonearm-bench-mpd"));
  }

  /**
   * Starts MPD on {@code music} with its database, log and playlists in {@code dir} (kept between
   * two processes, so that a database written by one is loaded by the next).
   */
  MpdProcess(Path music, Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("playlists"));
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(
        dir.resolve("mpd.conf"),
        "music_directory \""
            + music.toAbsolutePath()
            + "\"\n"
            + "db_file \""
            + dir.resolve("mpd.db")
            + "\"\n"
            + "playlist_directory \""
            + dir.resolve("playlists")
            + "\"\n"
            + "log_file \""
            + dir.resolve("mpd.log")
            + "\"\n"
            + "bind_to_address \"127.0.0.1\"\nport \""
            + port
            + "\"\n"
            + "auto_update \"no\"\nzeroconf_enabled \"no\"\nmax_connections \"512\"\n"
            + "filesystem_charset \"UTF-8\"\n"
            + "audio_output {\n  type \"null\"\n  name \"null-sync\"\n  sync \"yes\"\n"
            + "  mixer_type \"software\"\n}\n");
    mpd =
        new ProcessBuilder("mpd", "--no-daemon", dir.resolve("mpd.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mpd.stdout").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // slow on a loaded machine
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException e) {
        if (!mpd.isAlive() || System.nanoTime() > deadline) {
          String why = mpd.isAlive() ? "not listening after 120 s" : "exited " + mpd.exitValue();
          mpd.destroyForcibly();
          throw new IOException("mpd did not start on port " + port + " (" + why + "); see " + dir);
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * Starts MPD on {@code music} from an empty database that an MPD on an empty folder wrote first,
   * so that nothing is scanned until an {@code update} (as the shared measure-mpd.sh does).
   */
  static MpdProcess withEmptyDatabase(Path music) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("tonearm-bench-mpd");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    try (MpdProcess first = new MpdProcess(empty, dir)) {
      first.awaitUpdated();
    }
    if (!Files.isRegularFile(dir.resolve("mpd.db"))) {
      throw new IOException("mpd wrote no empty database in " + dir);
    }
    return new MpdProcess(music, dir);
  }

  /** Waits until MPD is not updating its database (status has no {@code updating_db}). */
  void awaitUpdated() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (command("status").stream().anyMatch(l -> l.startsWith("updating_db:"))) {
      if (System.nanoTime() > deadline) {
        throw new IOException("mpd still updating after 10 minutes");
      }
      Thread.sleep(10);
    }
  }

  /** A number from {@code stats} ({@code songs}, {@code db_update}, ...), or -1. */
  long stat(String name) throws IOException {
    for (String l : command("stats")) {
      if (l.startsWith(name + ": ")) {
        return Long.parseLong(l.substring(name.length() + 2).trim());
      }
    }
    return -1;
  }

  int port() {
    return port;
  }

  long pid() {
    return mpd.pid();
  }

  /** MPD's version line, from {@code mpd --version}. */
  static String version() {
    try {
      Process p = new ProcessBuilder("mpd", "--version").redirectErrorStream(true).start();
      String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(5, TimeUnit.SECONDS);
      return first.lines().findFirst().orElse("?").trim();
    } catch (IOException e) {
      return "mpd not found: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  /**
   * Sends {@code command} (one line, or a {@code command_list_begin} block) and returns the lines
   * of the answer before its {@code OK}; an {@code ACK} is an {@link IOException}.
   */
  List<String> command(String command) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(120_000);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      in.readLine(); // OK MPD x.y.z
      out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      List<String> lines = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("OK")) {
          return lines;
        }
        if (line.startsWith("ACK")) {
          throw new IOException("mpd: " + command.lines().findFirst().orElse("") + " -> " + line);
        }
        lines.add(line);
      }
      throw new IOException("mpd closed the connection during " + command);
    }
  }

  /** Quotes {@code s} as one MPD protocol argument. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public void close() {
    mpd.destroy(); // SIGTERM: MPD writes its database and exits
    try {
      if (!mpd.waitFor(10, TimeUnit.SECONDS)) {
        mpd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      mpd.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
