package io.tonearm.daemon.transport.mpd;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.encode.ByteSink;
import io.tonearm.daemon.encode.FlacEncoder;
import io.tonearm.daemon.library.TaggedFiles;
import io.tonearm.daemon.testing.TestDaemons;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A daemon with MPD's protocol on a free port and a small tagged library: two albums by two
 * artists, the first album's songs with an embedded cover.
 */
final class MpdFixture {
  private MpdFixture() {}

  static final String FIRST = "Artist A/Album One/01 First.flac";
  static final String SECOND = "Artist A/Album One/02 Second.flac";
  static final String THIRD = "Artist B/Other/03 Third.mp3";

  static Daemon start(Path dir) throws Exception {
    Path music = dir.resolve("music");
    byte[] cover = Files.readAllBytes(resource("/library/cover_32x32_red.png"));
    // Long enough that a test's several commands (a process each, for mpc) end before the song
    // does, however loaded the machine: a 1 s song could auto-advance between them.
    Path tone = longFlac(dir.resolve("tone-120s.flac"), 120);
    tag(music, FIRST, tone, "First", "Artist A", "Album One", "1", cover);
    tag(music, SECOND, tone, "Second", "Artist A", "Album One", "2", cover);
    tag(music, THIRD, "1s_440Hz_44k1_mono.mp3", "Third", "Artist B", "Other", "3", null);
    Files.createDirectories(dir.resolve("data"));
    return open(dir);
  }

  /** A daemon on what {@link #start} made in {@code dir} (its music and data), as it left them. */
  static Daemon open(Path dir) throws Exception {
    return TestDaemons.settled(
        TestDaemons.quiet(dir.resolve("data"))
            .withMusic(List.of(dir.resolve("music")))
            .withMpdPort(0));
  }

  /** A 440 Hz mono FLAC of {@code seconds} at 44.1 kHz, 16 bits, made with the daemon's encoder. */
  static Path longFlac(Path file, int seconds) throws Exception {
    int rate = 44_100;
    FlacEncoder enc = new FlacEncoder(rate, 1, 16);
    long frames = (long) rate * seconds;
    ByteSink out = new ByteSink(1 << 20);
    byte[] block = new byte[2 * FlacEncoder.BLOCK];
    Files.createDirectories(file.getParent());
    try (var os = Files.newOutputStream(file)) {
      os.write(enc.header(frames, new byte[16]));
      for (long f = 0; f < frames; f += FlacEncoder.BLOCK) {
        int n = (int) Math.min(FlacEncoder.BLOCK, frames - f);
        for (int i = 0; i < n; i++) {
          short v = (short) Math.round(8000 * Math.sin(2 * Math.PI * 440 * (f + i) / rate));
          block[2 * i] = (byte) v;
          block[2 * i + 1] = (byte) (v >> 8);
        }
        enc.encode(block, 0, 2 * n, out);
        os.write(out.array(), 0, out.size());
        out.clear();
      }
      enc.finish(out);
      os.write(out.array(), 0, out.size());
    }
    return file;
  }

  private static void tag(
      Path music,
      String rel,
      Path source,
      String title,
      String artist,
      String album,
      String track,
      byte[] cover)
      throws Exception {
    Path to = music.resolve(rel);
    Files.createDirectories(to.getParent());
    Files.copy(source, to);
    TaggedFiles.tag(
        to,
        new TaggedFiles.Tags(title, artist, album, null, track, "Rock", "2001", null, null, cover),
        false);
  }

  private static void tag(
      Path music,
      String rel,
      String fixture,
      String title,
      String artist,
      String album,
      String track,
      byte[] cover)
      throws Exception {
    Path p = TaggedFiles.copy(fixture, music.resolve(rel));
    TaggedFiles.tag(
        p,
        new TaggedFiles.Tags(title, artist, album, null, track, "Rock", "2001", null, null, cover),
        false);
  }

  static Path resource(String name) throws Exception {
    return Path.of(MpdFixture.class.getResource(name).toURI());
  }

  static String http(Daemon d, String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + path));
    if (body != null) {
      b.header(
          "Content-Type", "application/json"); // a body without it is refused (cross-site rule)
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
