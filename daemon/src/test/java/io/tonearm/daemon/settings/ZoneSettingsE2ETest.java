package io.tonearm.daemon.settings;

import static io.tonearm.daemon.testing.AccessClient.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.util.JsonFormat;
import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.testing.AccessClient;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Command;
import io.tonearm.proto.v1.CrossfadeConfig;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.JobReply;
import io.tonearm.proto.v1.JobState;
import io.tonearm.proto.v1.SettingsReply;
import io.tonearm.proto.v1.SettingsState;
import io.tonearm.proto.v1.TrackList;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each zone's sound settings end to end, loopback trust off: zone b's enhancement changes b's
 * rendered samples by exactly its gain and leaves zone a's (bit for bit the source); a socket on
 * zone a sees none of b's settings events; zone refusals change nothing; the settings survive a
 * restart per zone and leave with their zone.
 */
class ZoneSettingsE2ETest {

  private static final int RATE = 44_100;

  @TempDir Path dir;
  private Daemon daemon;
  private AccessClient http;
  private String admin;
  private final List<WsProbe> probes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    // 3 s of a 1 kHz sine at -20 dBFS, mono float: the track every render is made of.
    float[] x = new float[3 * RATE];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.1 * Math.sin(2 * Math.PI * 1000 * i / RATE));
    }
    ReferenceMatchTest.wav(dir.resolve("sine.wav"), x);
    daemon = TestDaemons.settled(config());
    http = new AccessClient(daemon.port());
    admin = Files.readString(dir.resolve("admin.token"), StandardCharsets.US_ASCII).trim();
  }

  private Config config() {
    return TestDaemons.quiet(dir)
        .withSecurity(
            Config.Security.defaults()
                .withTrustLoopback(false)
                .withRates(1_000_000, 1_000_000, 1_000_000, 1_000_000));
  }

  @AfterEach
  void stop() {
    probes.forEach(WsProbe::close);
    if (daemon != null) {
      daemon.close();
    }
  }

  private HttpResponse<String> send(String method, String path, String body, String token)
      throws Exception {
    return http.send(method, path, body, token);
  }

  private void makeZone(String id) throws Exception {
    http.createZone(admin, id);
  }

  /** A token with every scope a sound setting needs, limited to {@code zone}; its secret. */
  private String zoneToken(String name, String zone) throws Exception {
    return http.createForZone(admin, name, zone, "read", "control", "library", "admin");
  }

  private SettingsState settings(String zone) throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/settings?zone=" + zone, null, admin);
    assertEquals(200, r.statusCode(), r.body());
    SettingsReply.Builder b = SettingsReply.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(r.body(), b);
    return b.getState();
  }

  private static long seqOf(HttpResponse<String> r) throws Exception {
    SettingsReply.Builder b = SettingsReply.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(r.body(), b);
    return b.getSeq();
  }

  private String trackId() throws Exception {
    TrackList.Builder list = TrackList.newBuilder();
    JsonFormat.parser()
        .ignoringUnknownFields()
        .merge(send("GET", "/api/v1/library/tracks", null, admin).body(), list);
    assertEquals(1, list.getTracksCount(), list.toString());
    return list.getTracks(0).getId();
  }

  /** Renders the sine through {@code zone}'s chain; the rendered mono samples. */
  private float[] render(String zone, String trackId) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/api/v1/settings/render?zone=" + zone,
            "{\"track_id\":\"" + trackId + "\"}",
            admin);
    assertEquals(200, r.statusCode(), r.body());
    JobReply.Builder job = JobReply.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(r.body(), job);
    String id = job.getJob().getId();
    long until = System.nanoTime() + 60_000_000_000L;
    JobReply.Builder now = JobReply.newBuilder();
    do {
      Thread.sleep(50);
      now.clear();
      JsonFormat.parser()
          .ignoringUnknownFields()
          .merge(send("GET", "/api/v1/jobs/" + id, null, admin).body(), now);
    } while (now.getJob().getState() != JobState.JOB_STATE_COMPLETED
        && now.getJob().getState() != JobState.JOB_STATE_FAILED
        && System.nanoTime() < until);
    assertEquals(JobState.JOB_STATE_COMPLETED, now.getJob().getState(), now.toString());
    String title = now.getJob().getTitle();
    Path file = dir.resolve("renders").resolve(title.substring(title.indexOf("renders/") + 8));
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    b.position(44);
    float[] y = new float[b.remaining() / 4];
    b.asFloatBuffer().get(y);
    return y;
  }

  /** The neutral chain (compressor at ratio 1, limiter at -1 dBTP) with this input gain, JSON. */
  private static String chain(double inputGainDb) {
    return "{\"input_gain_db\":"
        + inputGainDb
        + ",\"width\":1,\"compressor\":{\"threshold_db\":-18,\"ratio\":1,\"knee_db\":6,"
        + "\"attack_ms\":10,\"release_ms\":150},"
        + "\"limiter\":{\"enabled\":true,\"ceiling_dbtp\":-1,\"release_ms\":50}}";
  }

  private static double rmsDb(float[] y) {
    double sum = 0;
    for (float v : y) {
      sum += (double) v * v;
    }
    return 10 * Math.log10(sum / y.length);
  }

  @Test
  void zoneBsEnhancementChangesZoneBsAudioAndEventsOnly() throws Exception {
    makeZone("a");
    makeZone("b");
    String ta = zoneToken("ta", "a");
    WsProbe wa = WsProbe.connect(daemon.port(), "?topics=settings,commands", ta);
    probes.add(wa);
    assertEquals("a", wa.next().getHello().getZone());
    Envelope snapshot = wa.nextWhere(Envelope::hasSettings);
    assertEquals("a", snapshot.getZone());
    assertEquals(Cause.CAUSE_SNAPSHOT, snapshot.getSettings().getCause());

    // Zone b: the chain on, 6 dB down at its input; nothing else.
    String down6 = "{\"enabled\":true,\"intensity\":1,\"custom\":" + chain(-6) + "}";
    HttpResponse<String> rb = send("POST", "/api/v1/settings/enhancement?zone=b", down6, admin);
    assertEquals(200, rb.statusCode(), rb.body());
    SettingsState b = settings("b");
    assertTrue(b.getEnhancement().getEnabled());
    assertEquals(-6, b.getEnhancement().getCustom().getInputGainDb());
    SettingsState a = settings("a");
    assertFalse(a.getEnhancement().getEnabled(), "zone a untouched: " + a.getEnhancement());
    assertEquals(settings("default").getEnhancement(), a.getEnhancement());

    // Out of range in zone b: refused naming the field, b as it was.
    HttpResponse<String> bad =
        send(
            "POST",
            "/api/v1/settings/enhancement?zone=b",
            "{\"enabled\":true,\"intensity\":2}",
            admin);
    assertEquals(422, bad.statusCode(), bad.body());
    assertTrue(bad.body().contains("intensity"), bad.body());
    assertEquals(b, settings("b"));

    // Zone refusals: a's token may not name b (nor an unknown zone); unknown zones are 404.
    assertEquals(
        "403 zone_forbidden",
        code(send("POST", "/api/v1/settings/crossfade?zone=b", "{\"seconds\":3}", ta)));
    assertEquals("403 zone_forbidden", code(send("GET", "/api/v1/settings?zone=nosuch", null, ta)));
    assertEquals(
        "404 zone_not_found", code(send("GET", "/api/v1/settings?zone=nosuch", null, admin)));
    assertEquals(0, settings("b").getCrossfade().getSeconds());

    // Zone a's own change, unnamed by its token: the socket on a sees it, and nothing of b's.
    HttpResponse<String> ra = send("POST", "/api/v1/settings/crossfade", "{\"seconds\":4}", ta);
    assertEquals(200, ra.statusCode(), ra.body());
    long seqA = seqOf(ra);
    List<Envelope> seen = new ArrayList<>();
    Envelope e;
    do {
      e = wa.next();
      seen.add(e);
    } while (!(e.hasSettings() && e.getSeq() >= seqA));
    for (Envelope s : seen) {
      assertTrue(s.getZone().equals("a") || s.getZone().isEmpty(), "a saw " + s);
    }
    assertEquals(4, e.getSettings().getCrossfade().getSeconds());
    assertFalse(e.getSettings().getState().getEnhancement().getEnabled());
    assertEquals(4, settings("a").getCrossfade().getSeconds());
    assertEquals(0, settings("b").getCrossfade().getSeconds());
    assertEquals(0, settings("default").getCrossfade().getSeconds());

    // Over the socket, a command naming b is refused; unnamed, it is a's.
    wa.send(
        ClientMessage.newBuilder()
            .setRequestId("x")
            .setCommand(
                Command.newBuilder()
                    .setName("settings.crossfade")
                    .setZone("b")
                    .setRequest(Any.pack(CrossfadeConfig.newBuilder().setSeconds(9).build())))
            .build());
    assertEquals("zone_forbidden", wa.nextWhere(Envelope::hasError).getError().getCode());
    assertEquals(0, settings("b").getCrossfade().getSeconds());

    // Known answer on the audio: b's render is a's 6 dB down; a's is the source bit for bit.
    String track = trackId();
    float[] ya = render("a", track);
    float[] yb = render("b", track);
    float[] source = new float[3 * RATE];
    for (int i = 0; i < source.length; i++) {
      source[i] = (float) (0.1 * Math.sin(2 * Math.PI * 1000 * i / RATE));
    }
    assertArrayEquals(source, ya, "zone a's chain is off: bypass is bit-exact");
    assertEquals(ya.length, yb.length);
    // After the gain ramp's first 50 ms: exactly -6 dB (the limiter is far from its ceiling).
    float[] steadyA = java.util.Arrays.copyOfRange(ya, RATE / 10, ya.length);
    float[] steadyB = java.util.Arrays.copyOfRange(yb, RATE / 10, yb.length);
    assertEquals(-6, rmsDb(steadyB) - rmsDb(steadyA), 0.01);
  }

  @Test
  void eachZonesSettingsSurviveARestartAndLeaveWithTheirZone() throws Exception {
    makeZone("den");
    assertEquals(
        200,
        send("POST", "/api/v1/settings/crossfade?zone=den", "{\"seconds\":5}", admin).statusCode());
    assertEquals(
        200,
        send(
                "POST",
                "/api/v1/settings/presets?zone=den",
                "{\"name\":\"den room\",\"chain\":" + chain(-3) + "}",
                admin)
            .statusCode());
    assertEquals(
        200, send("POST", "/api/v1/settings/crossfade", "{\"seconds\":2}", admin).statusCode());
    assertTrue(Files.exists(dir.resolve("zones").resolve("den").resolve("settings.pb")));

    daemon.close();
    daemon = TestDaemons.settled(config());
    http = new AccessClient(daemon.port());
    SettingsState den = settings("den");
    assertEquals(5, den.getCrossfade().getSeconds());
    assertTrue(den.getPresetsList().stream().anyMatch(p -> p.getName().equals("den room")));
    SettingsState def = settings("default");
    assertEquals(2, def.getCrossfade().getSeconds());
    assertFalse(def.getPresetsList().stream().anyMatch(p -> p.getName().equals("den room")));

    assertEquals(200, send("DELETE", "/api/v1/zones/den", null, admin).statusCode());
    assertFalse(Files.exists(dir.resolve("zones").resolve("den")));
    assertEquals("404 zone_not_found", code(send("GET", "/api/v1/settings?zone=den", null, admin)));
    makeZone("den");
    SettingsState fresh = settings("den");
    assertEquals(CrossfadeConfig.getDefaultInstance(), fresh.getCrossfade());
    assertFalse(fresh.getPresetsList().stream().anyMatch(p -> p.getName().equals("den room")));
    assertEquals(2, settings("default").getCrossfade().getSeconds());
  }
}
