package io.tonearm.daemon.transport;

import static io.tonearm.daemon.testing.TestDaemons.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
    }
  }
}
