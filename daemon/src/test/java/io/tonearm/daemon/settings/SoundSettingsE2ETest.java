package io.tonearm.daemon.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings topic shows ReplayGain and the output format, whichever command changed them. */
class SoundSettingsE2ETest {

  @TempDir Path data;

  private static HttpResponse<String> http(Daemon d, String method, String path, String body)
      throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void replayGainIsOneValueInTheSettingsAndOutputsTopicsAndSurvivesARestart() throws Exception {
    String album =
        "\"replay_gain\":{\"mode\":\"REPLAY_GAIN_MODE_ALBUM\",\"preamp_db\":3.0,"
            + "\"prevent_clipping\":true}";
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(data))) {
      String settings = http(d, "GET", "/api/v1/settings", null).body();
      assertTrue(settings.contains("\"output\":{\"output_rate_hz\":0,\"dither\":true}"), settings);
      HttpResponse<String> r =
          http(
              d,
              "POST",
              "/api/v1/settings/replay_gain",
              "{\"mode\": \"REPLAY_GAIN_MODE_ALBUM\", \"preamp_db\": 3, \"prevent_clipping\": true}");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains(album), r.body());
      assertTrue(http(d, "GET", "/api/v1/outputs", null).body().contains(album));

      http(d, "POST", "/api/v1/outputs/replaygain", "{\"mode\": \"REPLAY_GAIN_MODE_TRACK\"}");
      String track = "\"replay_gain\":{\"mode\":\"REPLAY_GAIN_MODE_TRACK\"";
      long until = System.nanoTime() + 5_000_000_000L;
      while (!http(d, "GET", "/api/v1/settings", null).body().contains(track)
          && System.nanoTime() < until) {
        Thread.sleep(10); // the outputs command reaches the settings thread just after its reply
      }
      assertTrue(http(d, "GET", "/api/v1/settings", null).body().contains(track));

      HttpResponse<String> bad =
          http(d, "POST", "/api/v1/settings/replay_gain", "{\"preamp_db\": 16}");
      assertEquals(422, bad.statusCode(), bad.body());
      assertTrue(bad.body().contains("preamp_db"), bad.body());
      assertTrue(http(d, "GET", "/api/v1/settings", null).body().contains(track));
    }
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(data))) {
      String track = "\"replay_gain\":{\"mode\":\"REPLAY_GAIN_MODE_TRACK\"";
      String settings = http(d, "GET", "/api/v1/settings", null).body();
      assertTrue(settings.contains(track), settings);
    }
  }
}
