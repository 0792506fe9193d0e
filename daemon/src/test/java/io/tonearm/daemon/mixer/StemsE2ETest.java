package io.tonearm.daemon.mixer;

import static io.tonearm.daemon.testing.TestDaemons.get;
import static io.tonearm.daemon.testing.TestDaemons.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stem folder scanned, queued and played, and the mixer driven over HTTP. */
class StemsE2ETest {

  @TempDir Path dir;

  static void wav(Path file, double hz) throws Exception {
    int rate = 48_000;
    int frames = 2 * rate;
    ByteBuffer b = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + frames * 4).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 2);
    b.putInt(rate).putInt(rate * 4).putShort((short) 4).putShort((short) 16);
    b.putInt(0x61746164).putInt(frames * 4);
    for (int f = 0; f < frames; f++) {
      short v = (short) (8000 * Math.sin(2 * Math.PI * hz * f / rate));
      b.putShort(v).putShort(v);
    }
    Files.createDirectories(file.getParent());
    Files.write(file, b.array());
  }

  @Test
  void aStemFolderIsOneTrackThatPlaysThroughTheMixer() throws Exception {
    Path set = dir.resolve("Duet.stems");
    wav(set.resolve("vocals.wav"), 440);
    wav(set.resolve("drums.wav"), 110);
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(dir))) {
      String tracks = get(d.port(), "/api/v1/library/tracks").body();
      assertTrue(tracks.contains("\"Duet\""), tracks);
      assertTrue(tracks.contains("\"stems\""), "codec stems: " + tracks);
      assertTrue(!tracks.contains("vocals.wav"), "the stems are not tracks of their own");

      HttpResponse<String> q =
          post(d.port(), "/api/v1/queue/append", "{\"paths\": [\"Duet.stems\"]}");
      assertEquals(200, q.statusCode(), q.body());
      assertEquals(200, post(d.port(), "/api/v1/player/play", "{}").statusCode());
      String mixer = "";
      for (int i = 0; i < 100 && !mixer.contains("MIX_MODE_STEMS"); i++) {
        Thread.sleep(50);
        mixer = get(d.port(), "/api/v1/mixer").body();
      }
      assertTrue(mixer.contains("MIX_MODE_STEMS"), mixer);
      assertTrue(mixer.indexOf("\"drums\"") < mixer.indexOf("\"vocals\""), mixer);

      HttpResponse<String> v =
          post(
              d.port(),
              "/api/v1/mixer/volumes",
              "{\"vocal_volume\": 0, \"instrumental_volume\": 80}");
      assertEquals(200, v.statusCode(), v.body());
      assertTrue(v.body().contains("\"instrumental_volume\":80"), v.body());
      HttpResponse<String> s = post(d.port(), "/api/v1/mixer/stems/drums", "{\"solo\": true}");
      assertEquals(200, s.statusCode(), s.body());
      assertTrue(s.body().contains("\"solo\":true"), s.body());
      HttpResponse<String> bad = post(d.port(), "/api/v1/mixer/volumes", "{\"vocal_volume\": 101}");
      assertEquals(422, bad.statusCode(), bad.body());
      assertTrue(bad.body().contains("out_of_range"), bad.body());
    }
  }
}
