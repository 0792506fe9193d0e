package io.tonearm.daemon.transport.mpd;

import io.tonearm.daemon.Daemon;
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
    tag(music, FIRST, "1s_440Hz_44k1_mono.flac", "First", "Artist A", "Album One", "1", cover);
    tag(music, SECOND, "1s_440Hz_44k1_mono.flac", "Second", "Artist A", "Album One", "2", cover);
    tag(music, THIRD, "1s_440Hz_44k1_mono.mp3", "Third", "Artist B", "Other", "3", null);
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    return TestDaemons.settled(TestDaemons.quiet(data).withMusic(List.of(music)).withMpdPort(0));
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
