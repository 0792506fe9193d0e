package io.tonearm.daemon.mixer;

import static io.tonearm.daemon.testing.AccessClient.code;
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
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.LyricsPresentationRequest;
import io.tonearm.proto.v1.LyricsReply;
import io.tonearm.proto.v1.MixerReply;
import io.tonearm.proto.v1.MixerState;
import io.tonearm.proto.v1.MixerVolumesRequest;
import java.net.http.HttpResponse;
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
 * Each zone's mixer and lyrics presentation end to end, loopback trust off: a change in one zone
 * leaves the others' state and sockets untouched, over HTTP and the socket; zone refusals change
 * nothing; both survive a restart per zone and leave with their zone.
 */
class ZoneMixerE2ETest {

  @TempDir Path dir;
  private Daemon daemon;
  private AccessClient http;
  private String admin;
  private final List<WsProbe> probes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
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

  /** A read + control token limited to {@code zone}; its secret. */
  private String zoneToken(String name, String zone) throws Exception {
    return http.createForZone(admin, name, zone, "read", "control");
  }

  private MixerState mixer(String zone) throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/mixer?zone=" + zone, null, admin);
    assertEquals(200, r.statusCode(), r.body());
    MixerReply.Builder b = MixerReply.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(r.body(), b);
    return b.getState();
  }

  private String displaySize(String zone) throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/lyrics?zone=" + zone, null, admin);
    assertEquals(200, r.statusCode(), r.body());
    LyricsReply.Builder b = LyricsReply.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(r.body(), b);
    return b.getState().getPresentation().getDisplaySize();
  }

  private static long seqOf(HttpResponse<String> r) throws Exception {
    MixerReply.Builder b = MixerReply.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(r.body(), b);
    return b.getSeq();
  }

  @Test
  void zoneBsMixerAndLyricsPresentationChangeZoneBOnly() throws Exception {
    makeZone("a");
    makeZone("b");
    String ta = zoneToken("ta", "a");
    WsProbe wa = WsProbe.connect(daemon.port(), "?topics=mixer,lyrics", ta);
    probes.add(wa);
    assertEquals("a", wa.next().getHello().getZone());
    WsProbe wb = WsProbe.connect(daemon.port(), "?topics=mixer,lyrics&zone=b", admin);
    probes.add(wb);
    assertEquals("b", wb.next().getHello().getZone());
    Envelope snapshot = wb.nextWhere(Envelope::hasMixer);
    assertEquals("b", snapshot.getZone());
    assertEquals(Cause.CAUSE_SNAPSHOT, snapshot.getMixer().getCause());

    // Zone b: vocals down, drums muted, the lyrics large.
    HttpResponse<String> rb =
        send("POST", "/api/v1/mixer/volumes?zone=b", "{\"vocal_volume\":20}", admin);
    assertEquals(200, rb.statusCode(), rb.body());
    assertEquals(
        200,
        send("POST", "/api/v1/mixer/stems/drums?zone=b", "{\"mute\":true}", admin).statusCode());
    assertEquals(
        200,
        send("POST", "/api/v1/lyrics/presentation?zone=b", "{\"display_size\":\"large\"}", admin)
            .statusCode());
    MixerState b = mixer("b");
    assertEquals(20, b.getVocalVolume());
    assertTrue(b.getStripsOrThrow("drums").getMute());
    assertEquals("large", displaySize("b"));
    for (String other : List.of("a", "default")) {
      MixerState s = mixer(other);
      assertEquals(100, s.getVocalVolume(), other);
      assertTrue(s.getStripsMap().isEmpty(), other + ": " + s);
      assertEquals("medium", displaySize(other), other);
    }
    long seqB = seqOf(rb);
    Envelope changed = wb.nextWhere(e -> e.hasMixer() && e.getSeq() == seqB);
    assertEquals("b", changed.getZone());
    assertEquals(20, changed.getMixer().getState().getVocalVolume());
    Envelope large = wb.nextWhere(e -> e.hasLyrics() && e.getLyrics().hasPresentation());
    assertEquals("b", large.getZone());
    assertEquals("large", large.getLyrics().getPresentation().getDisplaySize());

    // Refusals change nothing: a's token may not name b or an unknown zone; unknown zones are 404;
    // a bad value in b is 422.
    assertEquals(
        "403 zone_forbidden",
        code(send("POST", "/api/v1/mixer/volumes?zone=b", "{\"vocal_volume\":1}", ta)));
    assertEquals(
        "403 zone_forbidden",
        code(
            send("POST", "/api/v1/lyrics/presentation?zone=b", "{\"display_size\":\"huge\"}", ta)));
    assertEquals("404 zone_not_found", code(send("GET", "/api/v1/mixer?zone=nosuch", null, admin)));
    assertEquals(
        "404 zone_not_found", code(send("GET", "/api/v1/lyrics?zone=nosuch", null, admin)));
    assertEquals(
        "422 out_of_range",
        code(send("POST", "/api/v1/mixer/volumes?zone=b", "{\"vocal_volume\":101}", admin)));
    assertEquals(b, mixer("b"));
    assertEquals("large", displaySize("b"));

    // Zone a's own change, unnamed by its token; its socket sees it and nothing of b's.
    HttpResponse<String> ra =
        send("POST", "/api/v1/mixer/volumes", "{\"instrumental_volume\":40}", ta);
    assertEquals(200, ra.statusCode(), ra.body());
    List<Envelope> seen = new ArrayList<>();
    Envelope e;
    do {
      e = wa.next();
      seen.add(e);
    } while (!(e.hasMixer() && e.getSeq() >= seqOf(ra)));
    for (Envelope s : seen) {
      assertTrue(s.getZone().equals("a") || s.getZone().isEmpty(), "a saw " + s);
    }
    assertEquals(40, e.getMixer().getState().getInstrumentalVolume());
    assertEquals(100, e.getMixer().getState().getVocalVolume());
    assertEquals(100, mixer("b").getInstrumentalVolume());
    assertEquals(100, mixer("default").getInstrumentalVolume());

    // Over the socket: naming b is refused for a's token; unnamed, it is a's.
    wa.send(
        ClientMessage.newBuilder()
            .setRequestId("x")
            .setCommand(
                Command.newBuilder()
                    .setName("lyrics.presentation")
                    .setZone("b")
                    .setRequest(
                        Any.pack(
                            LyricsPresentationRequest.newBuilder()
                                .setDisplaySize("small")
                                .build())))
            .build());
    assertEquals("zone_forbidden", wa.nextWhere(Envelope::hasError).getError().getCode());
    wa.send(
        ClientMessage.newBuilder()
            .setRequestId("y")
            .setCommand(
                Command.newBuilder()
                    .setName("mixer.volumes")
                    .setRequest(
                        Any.pack(MixerVolumesRequest.newBuilder().setVocalVolume(60).build())))
            .build());
    Envelope viaSocket = wa.nextWhere(x -> x.hasMixer() && x.getMixer().hasOrigin());
    assertEquals("a", viaSocket.getZone());
    assertEquals(60, viaSocket.getMixer().getState().getVocalVolume());
    assertEquals(60, mixer("a").getVocalVolume());
    assertEquals(20, mixer("b").getVocalVolume());
    assertEquals("large", displaySize("b"));
    assertEquals("medium", displaySize("a"));
  }

  @Test
  void eachZonesMixerAndPresentationSurviveARestartAndLeaveWithTheirZone() throws Exception {
    makeZone("den");
    assertEquals(
        200,
        send("POST", "/api/v1/mixer/volumes?zone=den", "{\"vocal_volume\":0}", admin).statusCode());
    assertEquals(
        200,
        send("POST", "/api/v1/mixer/stems/bass?zone=den", "{\"gain_db\":-6}", admin).statusCode());
    assertEquals(
        200,
        send("POST", "/api/v1/lyrics/presentation?zone=den", "{\"display_size\":\"huge\"}", admin)
            .statusCode());
    assertEquals(
        200,
        send("POST", "/api/v1/mixer/volumes", "{\"instrumental_volume\":30}", admin).statusCode());
    Path den = dir.resolve("zones").resolve("den");
    assertTrue(Files.exists(den.resolve("mixer.pb")));
    assertTrue(Files.exists(den.resolve("lyrics.pb")));

    daemon.close();
    daemon = TestDaemons.settled(config());
    http = new AccessClient(daemon.port());
    MixerState d = mixer("den");
    assertEquals(0, d.getVocalVolume());
    assertEquals(100, d.getInstrumentalVolume());
    assertEquals(-6, d.getStripsOrThrow("bass").getGainDb());
    assertEquals("huge", displaySize("den"));
    MixerState def = mixer("default");
    assertEquals(100, def.getVocalVolume());
    assertEquals(30, def.getInstrumentalVolume());
    assertTrue(def.getStripsMap().isEmpty());
    assertEquals("medium", displaySize("default"));

    assertEquals(200, send("DELETE", "/api/v1/zones/den", null, admin).statusCode());
    assertFalse(Files.exists(den));
    assertEquals("404 zone_not_found", code(send("GET", "/api/v1/mixer?zone=den", null, admin)));
    makeZone("den");
    MixerState fresh = mixer("den");
    assertEquals(100, fresh.getVocalVolume());
    assertTrue(fresh.getStripsMap().isEmpty());
    assertEquals("medium", displaySize("den"));
    assertEquals(30, mixer("default").getInstrumentalVolume());
  }
}
