package io.tonearm.daemon.transport;

import static io.tonearm.daemon.testing.TestDaemons.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.config.Config;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /stream while the demo library plays: an endless WAV carrying what plays. */
class AudioStreamE2ETest {

  @TempDir Path dir;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void streamCarriesAWavHeaderThenLiveNonSilentPcm() throws Exception {
    daemon = Daemon.start(Config.defaults(0, dir)); // the demo library, queued
    assertEquals(200, post(daemon.port(), "/api/v1/player/play", "").statusCode());
    HttpResponse<InputStream> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + "/stream"))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertEquals("audio/wav", r.headers().firstValue("content-type").orElse(""));
    try (InputStream in = r.body()) {
      ByteBuffer head = ByteBuffer.wrap(in.readNBytes(44)).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(0x46464952, head.getInt(0), "RIFF");
      assertEquals(2, head.getShort(22), "stereo");
      assertEquals(44_100, head.getInt(24), "the demo's rate");
      assertEquals(16, head.getShort(34), "16-bit");
      byte[] pcm = in.readNBytes(44_100 * 4 / 2); // half a second
      assertEquals(44_100 * 4 / 2, pcm.length);
      ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
      double sum = 0;
      for (int i = 0; i < pcm.length / 2; i++) {
        double s = b.getShort() / 32768.0;
        sum += s * s;
      }
      double rmsDb = 10 * Math.log10(sum / (pcm.length / 2.0));
      assertEquals(true, rmsDb > -40, "the demo music is in the stream, RMS " + rmsDb + " dBFS");
      assertFoundBitForBit(pcm, dir.resolve("demo-music"));
    }
  }

  @Test
  void aSixteenBitWavOfEveryLevelArrivesBitForBitAtVolume100() throws Exception {
    // Random words over the whole range: half of them at or above half scale, where a conversion
    // by 32767 instead of 32768 is one LSB off, and -32768 among them.
    Path music = java.nio.file.Files.createDirectories(dir.resolve("music"));
    int frames = 44_100 * 2;
    ByteBuffer wav = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    io.tonearm.daemon.output.WavHeader.put(
        wav, io.tonearm.daemon.output.WavHeader.PCM, 2, 44_100, 16, frames * 4L);
    wav.position(44);
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < frames * 2; i++) {
      wav.putShort(i % 1000 == 0 ? Short.MIN_VALUE : (short) r.nextInt(65536));
    }
    java.nio.file.Files.write(music.resolve("noise.wav"), wav.array());
    daemon =
        Daemon.start(Config.defaults(0, dir.resolve("data")).withMusic(java.util.List.of(music)));
    assertEquals(
        200, post(daemon.port(), "/api/v1/queue", "{\"paths\": [\"noise.wav\"]}").statusCode());
    HttpResponse<InputStream> s =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + "/stream"))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, post(daemon.port(), "/api/v1/player/play", "").statusCode());
    try (InputStream in = s.body()) {
      in.readNBytes(44);
      byte[] pcm = in.readNBytes(44_100 * 4 / 2);
      assertFoundBitForBit(pcm, music);
    }
  }

  /**
   * The stream's samples at volume 100 without ReplayGain are the source file's 16-bit words: some
   * demo WAV holds them, in a row, word for word.
   */
  private static void assertFoundBitForBit(byte[] pcm, Path folder) throws Exception {
    short[] got = new short[pcm.length / 2];
    ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(got);
    int from = 0;
    while (from < got.length - 64 && got[from] == 0) {
      from++; // a quiet start matches anywhere: look from the first non-zero word
    }
    try (var files = java.nio.file.Files.list(folder)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".wav")).toList()) {
        byte[] wav = java.nio.file.Files.readAllBytes(f);
        short[] src = new short[(wav.length - 44) / 2];
        ByteBuffer.wrap(wav, 44, src.length * 2)
            .order(ByteOrder.LITTLE_ENDIAN)
            .asShortBuffer()
            .get(src);
        for (int at = 0; at + got.length - from <= src.length; at += 2) { // frame starts
          if (java.util.Arrays.equals(src, at, at + 64, got, from, from + 64)) {
            assertArrayEquals(
                java.util.Arrays.copyOfRange(got, from, got.length),
                java.util.Arrays.copyOfRange(src, at, at + got.length - from),
                "the stream equals " + f.getFileName() + " from word " + at);
            return;
          }
        }
      }
    }
    fail("no demo file holds the stream's words as they are");
  }

  @Test
  void twentyFourBitStreamByPathEncodedFormatsByPathAndAcceptAnd406ForOthers() throws Exception {
    daemon = Daemon.start(Config.defaults(0, dir));
    HttpClient client = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + daemon.port();
    assertEquals(200, post(daemon.port(), "/api/v1/player/play", "").statusCode());
    HttpResponse<InputStream> r =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/stream/wav24")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertEquals("wav24", r.headers().firstValue("x-tonearm-stream-format").orElse(""));
    assertEquals("0", r.headers().firstValue("x-tonearm-stream-latency-ms").orElse(""));
    try (InputStream in = r.body()) {
      ByteBuffer head = ByteBuffer.wrap(in.readNBytes(44)).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(24, head.getShort(34), "24-bit");
      assertEquals(6, head.getShort(32), "block align: 3 bytes x 2 channels");
    }
    // name, content type, first bytes, latency (ms) at 44.1 kHz stereo
    String[][] encoded = {
      {"flac", "audio/flac", "fLaC", "93"},
      {"flac24", "audio/flac", "fLaC", "93"},
      {"opus", "audio/ogg", "OggS", "68"},
      {"mp3", "audio/mpeg", "", "66"}
    };
    for (String[] e : encoded) {
      if (!io.tonearm.daemon.output.StreamFormat.named(e[0]).available()) {
        HttpResponse<String> no =
            client.send(
                HttpRequest.newBuilder(URI.create(base + "/stream/" + e[0])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(406, no.statusCode(), e[0] + " without its encoder library");
        continue;
      }
      HttpResponse<InputStream> s =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/stream/" + e[0])).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, s.statusCode(), e[0]);
      assertEquals(e[0], s.headers().firstValue("x-tonearm-stream-format").orElse(""));
      assertEquals(e[1], s.headers().firstValue("content-type").orElse(""));
      String latency = s.headers().firstValue("x-tonearm-stream-latency-ms").orElse("");
      assertEquals(e[3], latency, e[0]);
      try (InputStream in = s.body()) {
        byte[] first = in.readNBytes(4);
        if (e[2].isEmpty()) {
          assertEquals(0xFF, first[0] & 0xFF, "an MP3 frame header");
        } else {
          assertEquals(e[2], new String(first, java.nio.charset.StandardCharsets.US_ASCII));
        }
      }
    }
    HttpResponse<InputStream> byAccept =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/stream"))
                .header("Accept", "audio/wav;q=0.5, audio/flac")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals("flac", byAccept.headers().firstValue("x-tonearm-stream-format").orElse(""));
    byAccept.body().close();
    HttpResponse<String> aac =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/stream"))
                .header("Accept", "audio/aac, audio/wav;q=0")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(406, aac.statusCode());
    String available =
        String.join(
            ",",
            io.tonearm.daemon.output.StreamFormat.availableFormats().stream()
                .map(io.tonearm.daemon.output.StreamFormat::wireName)
                .toList());
    assertTrue(aac.body().contains(available), aac.body());
  }

  @Test
  void theFlacStreamCarriesTheSixteenBitSourceBitForBitAtVolume100() throws Exception {
    Path music = java.nio.file.Files.createDirectories(dir.resolve("music"));
    int frames = 44_100 * 3;
    ByteBuffer wav = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    io.tonearm.daemon.output.WavHeader.put(
        wav, io.tonearm.daemon.output.WavHeader.PCM, 2, 44_100, 16, frames * 4L);
    wav.position(44);
    java.util.Random r = new java.util.Random(8);
    for (int i = 0; i < frames * 2; i++) {
      // A loud sine plus noise: compressible, every word length used, -32768 among them.
      double v = 30_000 * Math.sin(i / 2 * 0.05) + r.nextInt(2001) - 1000;
      wav.putShort(i % 1000 == 0 ? Short.MIN_VALUE : (short) Math.max(-32768, Math.min(32767, v)));
    }
    java.nio.file.Files.write(music.resolve("tone.wav"), wav.array());
    daemon =
        Daemon.start(Config.defaults(0, dir.resolve("data")).withMusic(java.util.List.of(music)));
    assertEquals(
        200, post(daemon.port(), "/api/v1/queue", "{\"paths\": [\"tone.wav\"]}").statusCode());
    HttpResponse<InputStream> s =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + daemon.port() + "/stream/flac"))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, post(daemon.port(), "/api/v1/player/play", "").statusCode());
    byte[] flac;
    try (InputStream in = s.body()) {
      flac = in.readNBytes(150_000); // about 1.5 s: whole frames, then a cut one
    }
    Path f = dir.resolve("captured.flac");
    java.nio.file.Files.write(f, flac);
    ByteBuffer words = ByteBuffer.allocate(44_100 * 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
    try (io.tonearm.daemon.decode.Decoder d = io.tonearm.daemon.decode.Decoders.open(f)) {
      float[] buf = new float[8192];
      int n;
      while ((n = d.read(buf, 0, 4096)) > 0 && d.takeProblem() == null) {
        for (int i = 0; i < n * 2; i++) {
          words.putShort((short) Math.round(buf[i] * 32768));
        }
      }
    } catch (java.io.IOException cut) {
      // the last frame read was cut short by the capture
    }
    assertTrue(words.position() > 44_100 * 4 / 2, "decoded " + words.position() + " bytes");
    assertFoundBitForBit(java.util.Arrays.copyOf(words.array(), words.position()), music);
  }
}
