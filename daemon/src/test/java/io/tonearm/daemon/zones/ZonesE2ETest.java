package io.tonearm.daemon.zones;

import static io.tonearm.daemon.testing.AccessClient.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.player.TestWav;
import io.tonearm.daemon.testing.AccessClient;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Command;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.VolumeRequest;
import io.tonearm.proto.v1.ZoneCause;
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
 * Zones end to end, loopback trust off: made, listed and removed over the API; two tokens limited
 * to two zones never see or touch each other's zone over HTTP or the socket, live, on resume and in
 * snapshots; removing a zone tells and closes its sockets; zones and their players' state survive a
 * restart.
 */
class ZonesE2ETest {

  @TempDir Path dir;
  private Daemon daemon;
  private AccessClient http;
  private String admin;
  private final List<WsProbe> probes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    daemon = Daemon.start(config());
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

  /** A read+control token limited to {@code zone}; returns its secret. */
  private String zoneToken(String name, String zone) throws Exception {
    return http.createForZone(admin, name, zone, "read", "control", "library");
  }

  private WsProbe socket(String query, String token) throws Exception {
    WsProbe p = WsProbe.connect(daemon.port(), query, token);
    probes.add(p);
    return p;
  }

  /** Reads until the player event with this seq; returns everything read on the way. */
  private static List<Envelope> readUntil(WsProbe p, long seq) throws Exception {
    List<Envelope> seen = new ArrayList<>();
    while (true) {
      Envelope e = p.next();
      seen.add(e);
      if (e.getSeq() >= seq && e.hasPlayer()) {
        return seen;
      }
    }
  }

  private static long seqOf(HttpResponse<String> r) {
    int at = r.body().indexOf("\"seq\":\"") + 7;
    return Long.parseLong(r.body().substring(at, r.body().indexOf('"', at)));
  }

  @Test
  void zonesAreMadeListedAndRemovedByAdminOnly() throws Exception {
    makeZone("kitchen");
    String list = send("GET", "/api/v1/zones", null, admin).body();
    assertTrue(list.indexOf("\"default\"") < list.indexOf("\"kitchen\""), list);
    assertTrue(list.contains("\"max_zones\":" + Zones.MAX_ZONES), list);
    assertEquals(
        "409 zone_exists", code(send("POST", "/api/v1/zones", "{\"id\":\"kitchen\"}", admin)));
    assertEquals(
        "400 bad_request", code(send("POST", "/api/v1/zones", "{\"id\":\"Bad Id\"}", admin)));
    assertEquals("409 zone_default", code(send("DELETE", "/api/v1/zones/default", null, admin)));
    assertEquals("404 zone_not_found", code(send("DELETE", "/api/v1/zones/nosuch", null, admin)));
    String control = zoneToken("k", "kitchen");
    assertEquals(
        "403 scope_missing", code(send("POST", "/api/v1/zones", "{\"id\":\"x\"}", control)));
    assertEquals("403 scope_missing", code(send("DELETE", "/api/v1/zones/kitchen", null, control)));
    assertEquals(
        "404 zone_not_found",
        code(send("POST", "/api/v1/player/volume?zone=nosuch", "{\"volume\":5}", admin)));
    assertTrue(send("GET", "/health", null, admin).body().contains("\"zones\":{"));
    assertEquals(200, send("DELETE", "/api/v1/zones/kitchen", null, admin).statusCode());
    assertFalse(send("GET", "/api/v1/zones", null, admin).body().contains("kitchen"));
    assertFalse(Files.exists(dir.resolve("zones").resolve("kitchen")));
  }

  @Test
  void twoTokensInTwoZonesNeverSeeOrTouchTheOther() throws Exception {
    makeZone("a");
    makeZone("b");
    String ta = zoneToken("ta", "a");
    String tb = zoneToken("tb", "b");
    WsProbe wa = socket("?topics=player,queue,commands,zones", ta);
    Envelope hello = wa.next();
    assertEquals("a", hello.getHello().getZone());
    // Snapshots: zone a's only (its player, queue and zones entry), never default's or b's.
    long helloSeq = hello.getHello().getSeq();
    List<Envelope> snaps = new ArrayList<>();
    Envelope e;
    while ((e = wa.poll(2000)) != null) {
      snaps.add(e);
      if (snaps.size() == 3) {
        break;
      }
    }
    assertEquals(3, snaps.size(), snaps.toString());
    for (Envelope s : snaps) {
      assertEquals("a", s.getZone(), s.toString());
      assertEquals(helloSeq, s.getSeq());
    }
    assertTrue(snaps.stream().anyMatch(Envelope::hasZones));

    WsProbe wb = socket("?topics=player,commands,zones", tb);
    assertEquals("b", wb.next().getHello().getZone());
    // A zone made now is told (topic zones, and its zones.create on topic commands) only to those
    // who may use it: not to a's socket, whose next event is its own.
    makeZone("c");

    // Over HTTP: a token addresses its own zone without naming it, and only it.
    HttpResponse<String> rb = send("POST", "/api/v1/player/volume", "{\"volume\":70}", tb);
    assertEquals(200, rb.statusCode(), rb.body());
    HttpResponse<String> ra = send("POST", "/api/v1/player/volume", "{\"volume\":30}", ta);
    assertEquals(200, ra.statusCode(), ra.body());
    List<Envelope> seen = readUntil(wa, seqOf(ra));
    assertEquals(30, seen.get(seen.size() - 1).getPlayer().getState().getVolume());
    for (Envelope s : seen) {
      assertTrue(s.getZone().equals("a") || s.getZone().isEmpty(), "a saw " + s);
      assertFalse(
          s.hasZones() || s.hasCommands() && s.getCommands().getName().startsWith("zones."),
          "a saw another zone made: " + s);
    }
    Envelope executed = wa.nextWhere(Envelope::hasCommands);
    assertEquals("a", executed.getZone());
    assertEquals("player.volume", executed.getCommands().getName());
    assertEquals(
        "403 zone_forbidden",
        code(send("POST", "/api/v1/player/volume?zone=b", "{\"volume\":1}", ta)));
    assertEquals(
        "403 zone_forbidden",
        code(send("POST", "/api/v1/player/volume?zone=nosuch", "{\"volume\":1}", ta)));
    assertEquals("403 zone_forbidden", code(send("GET", "/api/v1/player?zone=default", null, ta)));
    // The mixer is each zone's own: a's token reaches a's without naming it, never default's.
    assertEquals(200, send("GET", "/api/v1/mixer?zone=a", null, admin).statusCode());
    assertEquals(200, send("GET", "/api/v1/mixer", null, ta).statusCode());
    assertEquals("403 zone_forbidden", code(send("GET", "/api/v1/mixer?zone=default", null, ta)));
    String listA = send("GET", "/api/v1/zones", null, ta).body();
    assertTrue(listA.contains("\"a\"") && !listA.contains("\"b\"") && !listA.contains("default"));
    assertTrue(send("GET", "/api/v1/player", null, tb).body().contains("\"volume\":70"));
    assertTrue(send("GET", "/api/v1/player?zone=a", null, admin).body().contains("\"volume\":30"));

    // Over the socket: a command naming zone b is refused and changes nothing.
    wa.send(
        ClientMessage.newBuilder()
            .setRequestId("x")
            .setCommand(
                Command.newBuilder()
                    .setName("player.volume")
                    .setZone("b")
                    .setRequest(Any.pack(VolumeRequest.newBuilder().setVolume(5).build())))
            .build());
    Envelope refused = wa.nextWhere(Envelope::hasError);
    assertEquals("zone_forbidden", refused.getError().getCode());
    assertTrue(send("GET", "/api/v1/player", null, tb).body().contains("\"volume\":70"));
    // Its own zone, unnamed: acknowledged after its event, which is zone a's.
    wa.send(
        ClientMessage.newBuilder()
            .setRequestId("y")
            .setCommand(
                Command.newBuilder()
                    .setName("player.volume")
                    .setRequest(Any.pack(VolumeRequest.newBuilder().setVolume(31).build())))
            .build());
    Envelope ack = wa.nextWhere(Envelope::hasAck);
    assertEquals("y", ack.getAck().getRequestId());

    // b's socket never saw a's events either.
    long last = seqOf(send("POST", "/api/v1/player/volume", "{\"volume\":71}", tb));
    for (Envelope s : readUntil(wb, last)) {
      assertTrue(s.getZone().equals("b") || s.getZone().isEmpty(), "b saw " + s);
    }

    // Resume: zone a's socket goes away while both zones change, then resumes.
    long resumeAt = ack.getAck().getSeq();
    String epoch = hello.getHello().getEpoch();
    wa.close();
    send("POST", "/api/v1/player/volume", "{\"volume\":72}", tb);
    long aLast = seqOf(send("POST", "/api/v1/player/volume", "{\"volume\":33}", ta));
    send("POST", "/api/v1/player/volume", "{\"volume\":73}", tb);
    WsProbe again = socket("?topics=player,commands,zones&resume=" + epoch + ":" + resumeAt, ta);
    Envelope h2 = again.next();
    assertTrue(h2.getHello().getRecovered());
    List<Envelope> replay = readUntil(again, aLast);
    assertEquals(33, replay.get(replay.size() - 1).getPlayer().getState().getVolume());
    for (Envelope s : replay) {
      assertTrue(s.getZone().equals("a") || s.getZone().isEmpty(), "a's resume saw " + s);
    }

    // A token for a asking for b's socket is refused at the upgrade.
    assertThrows(Exception.class, () -> WsProbe.connect(daemon.port(), "?zone=b", ta));
    assertEquals(403, send("GET", "/ws?zone=b", null, ta).statusCode());
  }

  @Test
  void removingAZoneTellsAndClosesItsSocketsAndLeavesOthers() throws Exception {
    makeZone("gone");
    String t = zoneToken("t", "gone");
    WsProbe w = socket("?topics=player,zones", t);
    assertEquals("gone", w.next().getHello().getZone());
    WsProbe other = socket("?topics=player,zones", admin);
    assertEquals("default", other.next().getHello().getZone());
    assertEquals(200, send("DELETE", "/api/v1/zones/gone", null, admin).statusCode());
    Envelope removed =
        w.nextWhere(e -> e.hasZones() && e.getZones().getCause() != ZoneCause.ZONE_CAUSE_SNAPSHOT);
    assertEquals(ZoneCause.ZONE_CAUSE_REMOVED, removed.getZones().getCause());
    assertEquals("gone", removed.getZone());
    assertEquals(4004, w.closeCode(10));
    // The admin follows default and sees every zone on topic zones, the removal too.
    Envelope told =
        other.nextWhere(
            e -> e.hasZones() && e.getZones().getCause() == ZoneCause.ZONE_CAUSE_REMOVED);
    assertEquals("gone", told.getZones().getZone().getId());
    assertEquals("404 zone_not_found", code(send("POST", "/api/v1/player/pause", null, t)));
    assertEquals(404, send("GET", "/ws", null, t).statusCode());
    assertEquals(200, send("GET", "/api/v1/player", null, admin).statusCode());
  }

  @Test
  void aPlayPastTheBoundOnPlayingZonesIsRefusedUntilOneStops() throws Exception {
    daemon.close();
    int rate = 44_100;
    TestWav.write(dir.resolve("long.wav"), rate, 1, TestWav.sine(440, rate, 0, 30 * rate));
    daemon = Daemon.start(config().withMaxPlayingZones(2));
    http = new AccessClient(daemon.port());
    makeZone("den");
    makeZone("loft");
    for (String zone : List.of("default", "den", "loft")) {
      HttpResponse<String> r =
          send("POST", "/api/v1/queue/append?zone=" + zone, "{\"paths\":[\"long.wav\"]}", admin);
      assertEquals(200, r.statusCode(), r.body());
    }
    assertEquals(200, send("POST", "/api/v1/player/play", "{}", admin).statusCode());
    assertEquals(200, send("POST", "/api/v1/player/play?zone=den", "{}", admin).statusCode());
    HttpResponse<String> refused = send("POST", "/api/v1/player/play?zone=loft", "{}", admin);
    assertEquals("409 too_many_playing_zones", code(refused));
    assertTrue(refused.body().contains("\"max\":\"2\""), refused.body());
    assertTrue(
        send("GET", "/api/v1/player?zone=loft", null, admin)
            .body()
            .contains("PLAYBACK_STATE_STOPPED"));
    String health = send("GET", "/health", null, admin).body();
    assertTrue(health.contains("\"playing\":2") && health.contains("\"max_playing\":2"), health);

    assertEquals(200, send("POST", "/api/v1/player/stop?zone=den", "{}", admin).statusCode());
    HttpResponse<String> now = send("POST", "/api/v1/player/play?zone=loft", "{}", admin);
    assertEquals(200, now.statusCode(), now.body());
  }

  @Test
  void zonesAndTheirPlayersSurviveARestart() throws Exception {
    makeZone("den");
    assertEquals(
        200, send("POST", "/api/v1/player/volume?zone=den", "{\"volume\":42}", admin).statusCode());
    Files.createDirectories(dir.resolve("zones").resolve("orphan"));
    daemon.close();
    daemon = Daemon.start(config());
    http = new AccessClient(daemon.port());
    assertTrue(send("GET", "/api/v1/zones", null, admin).body().contains("\"den\""));
    assertTrue(
        send("GET", "/api/v1/player?zone=den", null, admin).body().contains("\"volume\":42"));
    assertFalse(
        send("GET", "/api/v1/player", null, admin).body().contains("\"volume\":42"),
        "the default zone kept its own volume");
    assertFalse(Files.exists(dir.resolve("zones").resolve("orphan")));
  }

  @Test
  void theJavaSdkFollowsItsZoneForCallsAndEvents() throws Exception {
    makeZone("sdk");
    try (io.tonearm.client.TonearmClient c =
        io.tonearm.client.TonearmClient.builder()
            .port(daemon.port())
            .token(admin)
            .zone("sdk")
            .build()) {
      java.util.concurrent.BlockingQueue<Envelope> got =
          new java.util.concurrent.LinkedBlockingQueue<>();
      java.util.concurrent.CompletableFuture<String> helloZone =
          new java.util.concurrent.CompletableFuture<>();
      io.tonearm.client.EventStream s =
          c.events(
              io.tonearm.client.EventStreamOptions.builder().topics("player").build(),
              new io.tonearm.client.EventListener() {
                @Override
                public void onConnected(
                    io.tonearm.client.EventStream st, io.tonearm.proto.v1.Hello h) {
                  helloZone.complete(h.getZone());
                }

                @Override
                public void onEvent(io.tonearm.client.EventStream st, Envelope e) {
                  got.add(e);
                }
              });
      assertEquals("sdk", helloZone.get(10, java.util.concurrent.TimeUnit.SECONDS));
      long seq = c.player().volume(12).execute().getSeq();
      Envelope e;
      do {
        e = got.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      } while (e != null && e.getSeq() < seq);
      assertEquals(seq, e.getSeq());
      assertEquals("sdk", e.getZone());
      assertEquals(12, e.getPlayer().getState().getVolume());
      assertTrue(
          send("GET", "/api/v1/player?zone=sdk", null, admin).body().contains("\"volume\":12"));
      assertEquals(
          List.of("default", "sdk"),
          c.zones().list().execute().getZonesList().stream()
              .map(io.tonearm.proto.v1.ZoneInfo::getId)
              .toList());
      s.close();
    }
  }
}
