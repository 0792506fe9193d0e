package io.tonearm.daemon.library;

import static io.tonearm.daemon.testing.TestDaemons.get;
import static io.tonearm.daemon.testing.TestDaemons.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads over HTTP against a daemon on port 0: a valid file becomes playable, bad ones leave
 * nothing.
 */
class UploadsE2ETest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  /** A stereo 16-bit 44.1 kHz WAV of {@code seconds} of a 440 Hz sine. */
  static byte[] wav(int seconds) {
    int rate = 44_100;
    int frames = seconds * rate;
    ByteBuffer b = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + frames * 4).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 2);
    b.putInt(rate).putInt(rate * 4).putShort((short) 4).putShort((short) 16);
    b.putInt(0x61746164).putInt(frames * 4);
    for (int f = 0; f < frames; f++) {
      short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * f / rate));
      b.putShort(v).putShort(v);
    }
    return b.array();
  }

  private static HttpResponse<String> put(
      int port, String rawName, String type, byte[] body, boolean expectContinue) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/library/uploads/" + rawName))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
            .expectContinue(expectContinue);
    if (type != null) {
      r.header("Content-Type", type);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<Path> left() throws Exception {
    try (Stream<Path> a = Files.list(dir.resolve("uploads"));
        Stream<Path> b = Files.list(dir.resolve(".upload-staging"))) {
      return Stream.concat(a, b).toList();
    }
  }

  @Test
  void aValidFileIsDecodedPlacedScannedAndPlays() throws Exception {
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(dir))) {
      byte[] song = wav(3);
      HttpResponse<String> r = put(d.port(), "My%20Song.wav", "audio/wav", song, true);
      assertEquals(201, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"title\":\"My Song\""), r.body());
      assertTrue(r.body().contains("\"bytes\":\"" + song.length + "\""), r.body());
      assertTrue(r.body().matches("(?s).*\"job_id\":\"j\\d+\".*"), r.body());
      assertTrue(r.body().matches("(?s).*\"analysis_job_id\":\"j\\d+\".*"), r.body());
      assertEquals(List.of(dir.resolve("uploads/My Song.wav").toRealPath()), left());
      assertTrue(
          java.util.Arrays.equals(song, Files.readAllBytes(dir.resolve("uploads/My Song.wav"))));

      String id = r.body().replaceAll("(?s).*\"track\":\\{\"id\":\"([0-9a-f]{16})\".*", "$1");
      assertTrue(get(d.port(), "/api/v1/library/tracks/" + id).statusCode() == 200);
      assertEquals(
          200,
          post(d.port(), "/api/v1/queue/append", "{\"track_ids\": [\"" + id + "\"]}").statusCode());
      assertEquals(200, post(d.port(), "/api/v1/player/play", "{}").statusCode());
      String player = "";
      for (int i = 0; i < 100 && !player.contains("PLAYBACK_STATE_PLAYING"); i++) {
        Thread.sleep(50);
        player = get(d.port(), "/api/v1/player").body();
      }
      assertTrue(player.contains("PLAYBACK_STATE_PLAYING"), player);

      HttpResponse<String> again = put(d.port(), "My%20Song.wav", "audio/wav", song, false);
      assertEquals(409, again.statusCode(), again.body());
      assertEquals(1, left().size(), "the placed file is untouched and nothing else is left");
    }
  }

  @Test
  void badUploadsAreRefusedAndLeaveNothingBehind() throws Exception {
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(dir))) {
      String before = get(d.port(), "/api/v1/library").body();
      byte[] noise = new byte[200_000];
      new Random(1).nextBytes(noise);

      HttpResponse<String> notAudio = put(d.port(), "noise.flac", "audio/flac", noise, false);
      assertEquals(422, notAudio.statusCode(), notAudio.body());
      assertTrue(notAudio.body().contains("not_audio"), notAudio.body());

      byte[] cut = java.util.Arrays.copyOf(wav(1), 30); // a WAV header cut before its data
      HttpResponse<String> truncated = put(d.port(), "cut.wav", "audio/wav", cut, false);
      assertEquals(422, truncated.statusCode(), truncated.body());

      for (String hostile : List.of(".hidden.wav", "a%01b.wav", "song.txt", "%2E%2E.wav")) {
        HttpResponse<String> r = put(d.port(), hostile, "audio/wav", wav(1), false);
        assertEquals(422, r.statusCode(), hostile + ": " + r.body());
        assertTrue(r.body().contains("bad_name"), r.body());
      }
      HttpResponse<String> traversal =
          put(d.port(), "..%2F..%2Fescape.wav", "audio/wav", wav(1), false);
      assertEquals(404, traversal.statusCode(), traversal.body());
      assertFalse(Files.exists(dir.getParent().resolve("escape.wav")));

      HttpResponse<String> form =
          put(d.port(), "form.wav", "multipart/form-data; boundary=x", wav(1), false);
      assertEquals(415, form.statusCode(), form.body());
      HttpResponse<String> untyped = put(d.port(), "untyped.wav", null, wav(1), false);
      assertEquals(415, untyped.statusCode(), untyped.body());
      HttpResponse<String> json = put(d.port(), "json.wav", "application/json", wav(1), false);
      assertEquals(415, json.statusCode(), json.body());

      assertEquals(List.of(), left());
      assertEquals(before, get(d.port(), "/api/v1/library").body());
    }
  }

  @Test
  void aBodyDeclaredOverTheBoundIs413AndNotRead() throws Exception {
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(dir));
        Socket s = new Socket("127.0.0.1", d.port())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("PUT /api/v1/library/uploads/big.wav HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: audio/wav\r\nContent-Length: "
                  + (Uploads.MAX_BYTES + 1)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[65536]);
      out.flush();
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      String reply = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertEquals("HTTP/1.1 413", reply);
      assertEquals(List.of(), left());
    }
  }

  /** A ZIP archive of {@code entries}: name, bytes, name, bytes... */
  static byte[] zip(Object... entries) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(bytes)) {
      for (int i = 0; i < entries.length; i += 2) {
        z.putNextEntry(new java.util.zip.ZipEntry((String) entries[i]));
        z.write((byte[]) entries[i + 1]);
        z.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void aZipOfStemFilesBecomesOnePlayableStemItem() throws Exception {
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(dir))) {
      byte[] set =
          zip(
              "Duet.stems/lead.wav", wav(2),
              "Duet.stems/band.wav", wav(2),
              "Duet.stems/stems.txt", "band = band.wav\nlead = lead.wav ; vocal\n".getBytes(),
              "Duet.stems/lyrics.lrc", "[00:00.50]la\n".getBytes());
      HttpResponse<String> r = put(d.port(), "Duet.stems", "application/zip", set, true);
      assertEquals(201, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"codec\":\"stems\""), r.body());
      assertTrue(r.body().contains("\"title\":\"Duet\""), r.body());
      Path placed = dir.resolve("uploads/Duet.stems").toRealPath();
      assertEquals(List.of(placed), left(), "the set's folder and nothing else");
      try (Stream<Path> files = Files.list(placed)) {
        assertEquals(
            List.of("band.wav", "lead.wav", "lyrics.lrc", "stems.txt"),
            files.map(p -> p.getFileName().toString()).sorted().toList());
      }

      String id = r.body().replaceAll("(?s).*\"track\":\\{\"id\":\"([0-9a-f]{16})\".*", "$1");
      assertEquals(
          200,
          post(d.port(), "/api/v1/queue/append", "{\"track_ids\": [\"" + id + "\"]}").statusCode());
      assertEquals(200, post(d.port(), "/api/v1/player/play", "{}").statusCode());
      String mixer = "";
      for (int i = 0; i < 100 && !mixer.contains("MIX_MODE_STEMS"); i++) {
        Thread.sleep(50);
        mixer = get(d.port(), "/api/v1/mixer").body();
      }
      assertTrue(mixer.contains("MIX_MODE_STEMS"), mixer);
      assertTrue(
          mixer.matches("(?s).*\"name\":\"band\".*\"name\":\"lead\",\"vocal\":true.*"), mixer);

      HttpResponse<String> again = put(d.port(), "Duet.stems", "application/zip", set, false);
      assertEquals(409, again.statusCode(), again.body());
      assertEquals(List.of(placed), left());
    }
  }

  @Test
  void aBadStemRefusesTheWholeSetAndLeavesNothing() throws Exception {
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(dir))) {
      String before = get(d.port(), "/api/v1/library").body();
      byte[] noise = new byte[100_000];
      new Random(2).nextBytes(noise);

      HttpResponse<String> badStem =
          put(
              d.port(),
              "Bad.stems",
              "application/zip",
              zip("vocals.wav", wav(1), "drums.wav", noise),
              false);
      assertEquals(422, badStem.statusCode(), badStem.body());
      assertTrue(badStem.body().contains("not_audio"), badStem.body());
      assertTrue(badStem.body().contains("stem drums"), badStem.body());

      for (String hostile :
          List.of("../evil.wav", "/abs.wav", "a/b/c.wav", ".hidden.wav", "x.exe", "a\\b.wav")) {
        HttpResponse<String> r =
            put(
                d.port(),
                "Hostile.stems",
                "application/zip",
                zip("vocals.wav", wav(1), hostile, wav(1)),
                false);
        assertEquals(422, r.statusCode(), hostile + ": " + r.body());
        assertTrue(r.body().contains("bad_name"), hostile + ": " + r.body());
      }
      assertFalse(Files.exists(dir.getParent().resolve("evil.wav")));
      assertFalse(Files.exists(dir.resolve("evil.wav")));

      HttpResponse<String> twice =
          put(
              d.port(),
              "Twice.stems",
              "application/zip",
              zip("a/vocals.wav", wav(1), "b/vocals.wav", wav(1)),
              false);
      assertEquals(422, twice.statusCode(), twice.body());

      HttpResponse<String> notZip = put(d.port(), "Raw.stems", "application/zip", wav(1), false);
      assertEquals(422, notZip.statusCode(), notZip.body());
      assertTrue(notZip.body().contains("not a ZIP"), notZip.body());

      HttpResponse<String> empty = put(d.port(), "Empty.stems", "application/zip", zip(), false);
      assertEquals(422, empty.statusCode(), empty.body());

      assertEquals(List.of(), left());
      assertEquals(before, get(d.port(), "/api/v1/library").body());
    }
  }
}
