package io.tonearm.daemon.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.MatchStatus;
import io.tonearm.proto.v1.ReferenceState;
import io.tonearm.proto.v1.SettingsReply;
import io.tonearm.proto.v1.TrackList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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

  private static ReferenceState reference(Daemon d) throws Exception {
    SettingsReply.Builder b = SettingsReply.newBuilder();
    JsonFormat.parser()
        .ignoringUnknownFields()
        .merge(http(d, "GET", "/api/v1/settings", null).body(), b);
    return b.getState().getReference();
  }

  private static ReferenceState awaitReference(Daemon d, MatchStatus status) throws Exception {
    long until = System.nanoTime() + 60_000_000_000L;
    ReferenceState r = reference(d);
    while (r.getStatus() != status && System.nanoTime() < until) {
      Thread.sleep(50);
      r = reference(d);
    }
    assertEquals(status, r.getStatus(), r.toString());
    return r;
  }

  /**
   * The reference, its curve and target loudness come back after a restart (no job measures them
   * again); a reference deleted from the music folder while the daemon is down is dropped with the
   * reason when the start-up scan removes it, and stays dropped.
   */
  @Test
  void theReferenceAndItsCurveSurviveARestartAndADeletedReferenceIsDropped() throws Exception {
    Path trackFile =
        ReferenceMatchTest.wav(data.resolve("track.wav"), ReferenceMatchTest.tilted(6, -6, 1));
    Path refFile =
        ReferenceMatchTest.wav(data.resolve("reference.wav"), ReferenceMatchTest.tilted(-6, 6, 2));
    ReferenceState ready;
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(data))) {
      TrackList.Builder list = TrackList.newBuilder();
      JsonFormat.parser()
          .ignoringUnknownFields()
          .merge(http(d, "GET", "/api/v1/library/tracks", null).body(), list);
      Map<String, String> ids = new HashMap<>();
      for (LibraryTrack t : list.getTracksList()) {
        ids.put(Path.of(t.getPath()).getFileName().toString(), t.getId());
      }
      String track = ids.get(trackFile.getFileName().toString());
      String ref = ids.get(refFile.getFileName().toString());
      HttpResponse<String> q =
          http(d, "POST", "/api/v1/queue", "{\"track_ids\": [\"" + track + "\"]}");
      assertEquals(200, q.statusCode(), q.body());
      // Paused on the track: it is the current item, now and after the restart.
      assertEquals(200, http(d, "POST", "/api/v1/player/play", "{}").statusCode());
      assertEquals(200, http(d, "POST", "/api/v1/player/pause", null).statusCode());
      HttpResponse<String> r =
          http(d, "POST", "/api/v1/settings/reference", "{\"track_id\": \"" + ref + "\"}");
      assertEquals(200, r.statusCode(), r.body());
      ready = awaitReference(d, MatchStatus.MATCH_STATUS_READY);
      assertEquals(ref, ready.getTrackId());
      assertEquals(track, ready.getMatchedTrackId());
      assertTrue(ready.getBandsCount() > 0);
      assertTrue(Files.exists(data.resolve("reference.pb")));
    }
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(data))) {
      ReferenceState again = awaitReference(d, MatchStatus.MATCH_STATUS_READY);
      assertEquals(ready, again, "the same reference, curve, target and level");
      assertTrue(
          !http(d, "GET", "/api/v1/jobs", null).body().contains("settings.reference"),
          "nothing measured again");
    }
    Files.delete(refFile);
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(data))) {
      ReferenceState off = awaitReference(d, MatchStatus.MATCH_STATUS_OFF);
      assertEquals("", off.getTrackId());
      assertTrue(off.getError().contains("is no longer in the library"), off.getError());
      assertEquals(0, off.getBandsCount());
    }
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(data))) {
      assertEquals(ReferenceState.getDefaultInstance(), reference(d), "dropped for good");
    }
  }
}
