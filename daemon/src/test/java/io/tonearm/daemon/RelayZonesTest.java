package io.tonearm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.config.RedisConfig;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.relay.OriginCommands;
import io.tonearm.daemon.testing.AccessClient;
import io.tonearm.daemon.testing.RedisServer;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.ZoneCause;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zones through relays, with a real redis-server: each zone's stream carries what a socket of that
 * zone may see, so a relay's client of zone B never sees zone A's events (live, on resume, in
 * snapshots), resumes exactly once moving between relays and the origin, is refused a zone its
 * token may not use, and is closed with 4004 when its zone is removed.
 */
class RelayZonesTest {

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T keep(T t) {
    open.add(t);
    return t;
  }

  private Daemon origin(RedisServer redis, boolean trustLoopback) throws Exception {
    Path d = Files.createDirectories(dir.resolve("origin"));
    Config c =
        TestDaemons.quiet(d)
            .withSecurity(
                Config.Security.defaults()
                    .withTrustLoopback(trustLoopback)
                    .withRates(1_000_000, 1_000_000, 1_000_000, 1_000_000));
    return keep(Daemon.start(c, RedisConfig.publishTo(redis.url())));
  }

  private RelayNode relay(RedisServer redis, Daemon origin) throws Exception {
    Path d = Files.createDirectories(dir.resolve("relay" + open.size()));
    RedisConfig r = RedisConfig.relay(redis.url(), "http://127.0.0.1:" + origin.port());
    RelayNode node =
        keep(RelayNode.start(TestDaemons.quiet(d), r, new OriginCommands(r.origin(), true)));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!(node.follower().up() && node.mirror().ready())) {
      assertTrue(System.nanoTime() < deadline, "relay not ready");
      Thread.sleep(20);
    }
    // Has read every zone the origin has (a zone it has not read of yet it would ask the origin
    // about), so the checks below on what the relay knows hold from the first request.
    for (var key : origin.hub().cut().snapshots().keySet()) {
      while (key.topic() == Topic.ZONES && !node.mirrors().known(key.zone())) {
        assertTrue(System.nanoTime() < deadline, "relay does not know zone " + key.zone());
        Thread.sleep(20);
      }
    }
    return node;
  }

  /** Publishes a player event of {@code zone} whose state has this volume. */
  private static long publish(Daemon d, String zone, int volume) {
    PlayerState st = PlayerState.newBuilder().setVolume(volume).build();
    return d.hub()
        .zone(zone)
        .publish(
            Topic.PLAYER,
            Envelope.newBuilder()
                .setPlayer(PlayerChanged.newBuilder().setState(st).setCause(Cause.CAUSE_COMMAND)),
            Envelope.newBuilder()
                .setPlayer(PlayerChanged.newBuilder().setState(st).setCause(Cause.CAUSE_SNAPSHOT)));
  }

  private static void makeZone(int port, String id, String token) throws Exception {
    HttpResponse<String> r =
        new AccessClient(port).send("POST", "/api/v1/zones", "{\"id\":\"" + id + "\"}", token);
    assertEquals(201, r.statusCode(), r.body());
  }

  /** The origin's player events of {@code zone} after {@code after}, by seq. */
  private static List<Long> playerSeqs(Daemon origin, String zone, long after) {
    List<Long> out = new ArrayList<>();
    for (long s = after + 1; s <= origin.hub().currentSeq(); s++) {
      EncodedEvent e = origin.hub().event(s);
      if (e.topic() == Topic.PLAYER && e.zone().equals(zone)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Asserts an envelope a socket of {@code zone} got is its zone's, shared, or topic zones. */
  private static void ofZone(String zone, Envelope e) {
    assertTrue(
        e.getZone().isEmpty() || e.getZone().equals(zone) || e.hasZones(),
        "a socket of zone " + zone + " got " + e);
  }

  /** Waits until the relay follows {@code zone} and holds the origin's newest event of it. */
  private static void caughtUp(RelayNode relay, Daemon origin, String zone, long seq)
      throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      var m = relay.mirrors().all().stream().filter(x -> x.zone().equals(zone)).findFirst();
      if (m.isPresent() && m.get().serving() && m.get().log().currentSeq() >= seq) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("relay has not caught up zone " + zone + " to seq " + seq);
  }

  @Test
  void aZoneClientOfARelaySeesOnlyItsZoneLiveOnResumeAndInSnapshotsAndMovesExactlyOnce()
      throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(redis, true);
    makeZone(origin.port(), "za", null);
    makeZone(origin.port(), "zb", null);
    publish(origin, "za", 11);
    long b0 = publish(origin, "zb", 22);
    RelayNode r1 = relay(redis, origin);
    RelayNode r2 = relay(redis, origin);
    var zbMirror = r1.mirrors().mirror("zb");
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!(zbMirror.serving() && zbMirror.log().cutSeq() >= b0)) {
      assertTrue(System.nanoTime() < deadline, "no cut of zone zb past its event");
      Thread.sleep(10);
    }
    String q = "?topics=player,queue,outputs,zones,commands,library&zone=zb";
    long helloSeq;
    String epoch;
    long last;
    List<Long> got = new ArrayList<>();
    try (WsProbe ws = WsProbe.connect(r1.port(), q)) {
      Envelope hello = ws.next();
      assertEquals("zb", hello.getHello().getZone());
      assertEquals(origin.hub().epoch(), hello.getHello().getEpoch());
      assertFalse(hello.getHello().getRecovered());
      epoch = hello.getHello().getEpoch();
      last = hello.getHello().getSeq();
      helloSeq = last;
      assertTrue(last >= b0, "the hello is at or past zone zb's newest event");
      // Snapshots: zone zb's and the shared topics', never za's (topic zones lists every zone to
      // a client trusted with every zone).
      boolean player = false;
      boolean zones = false;
      for (Envelope e = ws.nextState(); ; e = ws.nextState()) {
        ofZone("zb", e);
        if (e.hasPlayer()) {
          assertEquals(Cause.CAUSE_SNAPSHOT, e.getPlayer().getCause());
          assertEquals(22, e.getPlayer().getState().getVolume(), "zone zb's player");
          player = true;
        }
        zones |= e.hasZones() && e.getZone().equals("za");
        if (player && zones) {
          break;
        }
      }
      // Live: zone za's events interleaved with zb's; only zb's reach the socket.
      for (int i = 0; i < 20; i++) {
        publish(origin, "za", 100 + i);
        publish(origin, "zb", i);
      }
      while (got.size() < 10) {
        Envelope e = ws.nextState();
        ofZone("zb", e);
        if (e.hasPlayer()) {
          got.add(e.getSeq());
          last = e.getSeq();
        }
      }
    } // cut mid-stream
    int[] ports = {r2.port(), origin.port(), r1.port()};
    for (int round = 0; round < ports.length; round++) {
      for (int i = 0; i < 10; i++) {
        publish(origin, "za", 200 + i);
        publish(origin, "zb", 50 + i);
      }
      try (WsProbe ws = WsProbe.connect(ports[round], q + "&resume=" + epoch + ":" + last)) {
        Envelope hello = ws.next();
        assertTrue(hello.getHello().getRecovered(), "resumed on port " + ports[round]);
        assertEquals("zb", hello.getHello().getZone());
        int want = got.size() + 10;
        while (got.size() < want) {
          Envelope e = ws.nextState();
          ofZone("zb", e);
          if (e.hasPlayer()) {
            assertEquals(Cause.CAUSE_COMMAND, e.getPlayer().getCause(), "no snapshot on resume");
            got.add(e.getSeq());
            last = e.getSeq();
          }
        }
      }
    }
    List<Long> expected = playerSeqs(origin, "zb", helloSeq);
    assertEquals(expected.subList(0, got.size()), got, "zone zb's events, each once, in order");
    // Zone za's stream never carried zone zb's events but those of topic zones.
    r1.mirrors().mirror("za"); // followed from now on: its stream from the start
    caughtUp(r1, origin, "za", origin.hub().currentSeq() - 1);
    var za = r1.mirrors().mirror("za").log();
    for (long s = za.oldestSeq(); s <= za.currentSeq(); s++) {
      EncodedEvent e = za.event(s);
      assertFalse(
          "zb".equals(e.zone()) && e.topic() != Topic.ZONES,
          "zone za's mirror holds zone zb's event " + s + " (only topic zones is in every stream)");
    }
  }

  @Test
  void aTokenLimitedToAZoneIsRefusedOtherZonesOnARelayAndSeesOnlyItsZones() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(redis, false);
    String admin = Files.readString(dir.resolve("origin").resolve(Daemon.ADMIN_TOKEN_FILE)).trim();
    makeZone(origin.port(), "za", admin);
    makeZone(origin.port(), "zb", admin);
    AccessClient access = new AccessClient(origin.port());
    HttpResponse<String> t =
        access.send(
            "POST",
            "/api/v1/tokens",
            "{\"name\":\"a-only\",\"scopes\":[\"read\",\"control\"],\"zones\":[\"za\"]}",
            admin);
    assertEquals(201, t.statusCode(), t.body());
    int at = t.body().indexOf("\"secret\":\"") + 10;
    String aOnly = t.body().substring(at, t.body().indexOf('"', at));
    RelayNode relay = relay(redis, origin);
    AccessClient viaRelay = new AccessClient(relay.port());
    HttpResponse<String> refused = viaRelay.send("GET", "/ws?zone=zb", null, aOnly);
    assertEquals(403, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("zone_forbidden"), refused.body());
    HttpResponse<String> missing = viaRelay.send("GET", "/ws?zone=nosuch", null, admin);
    assertEquals(404, missing.statusCode(), missing.body());
    assertTrue(missing.body().contains("zone_not_found"), missing.body());
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> WsProbe.connect(relay.port(), "?topics=player&zone=zb", aOnly));
    assertEquals(403, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    // Naming no zone, the token's one zone is chosen, as at the origin; topic zones shows only it.
    try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=player,zones", aOnly);
        WsProbe all = WsProbe.connect(relay.port(), "?topics=zones&zone=za", admin)) {
      Envelope hello = ws.next();
      assertEquals("za", hello.getHello().getZone());
      assertEquals(List.of("za"), hello.getHello().getTokenZonesList());
      assertTrue(all.next().hasHello());
      List<String> shown = new ArrayList<>();
      long zb = publish(origin, "zb", 5);
      long za = publish(origin, "za", 6);
      makeZone(origin.port(), "zc", admin);
      for (Envelope x = ws.nextState(); ; x = ws.nextState()) {
        ofZone("za", x);
        if (x.hasZones()) {
          shown.add(x.getZones().getZone().getId());
        }
        assertTrue(x.getSeq() != zb, "zone zb's event");
        if (x.hasPlayer() && x.getSeq() == za) {
          break;
        }
      }
      assertEquals(List.of("za"), shown, "the snapshot lists only the token's zone");
      // The admin's socket of zone za sees zone zc made; the limited token's never does.
      Envelope made =
          all.nextWhere(x -> x.hasZones() && x.getZones().getZone().getId().equals("zc"));
      assertEquals(ZoneCause.ZONE_CAUSE_CREATED, made.getZones().getCause());
      long after = publish(origin, "za", 7);
      Envelope next = ws.nextState();
      assertEquals(after, next.getSeq(), "nothing of zone zc reached the limited token: " + next);
    }
  }

  @Test
  void removingAZoneTellsAndClosesItsRelaySocketsWith4004() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(redis, true);
    makeZone(origin.port(), "zb", null);
    RelayNode relay = relay(redis, origin);
    try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=player,zones&zone=zb");
        WsProbe other = WsProbe.connect(relay.port(), "?topics=player")) {
      assertEquals("zb", ws.next().getHello().getZone());
      assertTrue(other.next().hasHello());
      HttpResponse<String> r =
          new AccessClient(origin.port()).send("DELETE", "/api/v1/zones/zb", null, null);
      assertEquals(200, r.statusCode(), r.body());
      Envelope removed =
          ws.nextWhere(
              x -> x.hasZones() && x.getZones().getCause() == ZoneCause.ZONE_CAUSE_REMOVED);
      assertEquals("zb", removed.getZones().getZone().getId());
      assertEquals(4004, ws.closeCode(10));
      long s = publish(origin, "default", 9);
      assertEquals(s, other.nextWhere(x -> x.getSeq() == s).getSeq(), "the default zone goes on");
    }
    // The relay forgets the zone once the default zone's next cut no longer shows it.
    long deadline = System.nanoTime() + 10_000_000_000L;
    HttpResponse<String> gone = TestDaemons.get(relay.port(), "/ws?zone=zb");
    while (gone.statusCode() != 404 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      gone = TestDaemons.get(relay.port(), "/ws?zone=zb");
    }
    assertEquals(404, gone.statusCode(), gone.body());
    assertTrue(gone.body().contains("zone_not_found"), gone.body());
  }

  /** A transport source that renders frames naming {@code item}. */
  private static io.tonearm.daemon.events.FrameSource transport(String item) {
    java.util.concurrent.atomic.AtomicLong n = new java.util.concurrent.atomic.AtomicLong();
    return new io.tonearm.daemon.events.FrameSource() {
      @Override
      public io.tonearm.proto.v1.FrameView normalize(io.tonearm.proto.v1.FrameView r) {
        return io.tonearm.daemon.player.TransportView.normalize(r, 10);
      }

      @Override
      public Envelope.Builder render(io.tonearm.proto.v1.FrameView view, long now) {
        return Envelope.newBuilder()
            .setTransport(
                io.tonearm.proto.v1.TransportFrame.newBuilder()
                    .setItemId(item)
                    .setFramesPlayed(n.incrementAndGet()));
      }
    };
  }

  @Test
  void aZonesFrameViewOnARelayIsRenderedFromThatZonesAudio() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(redis, true);
    makeZone(origin.port(), "zb", null);
    origin.frames().register(Topic.TRANSPORT, transport("in-default"));
    origin.frames().register("zb", Topic.TRANSPORT, transport("in-zb"));
    RelayNode relay = relay(redis, origin);
    try (WsProbe b = WsProbe.connect(relay.port(), "?topics=transport&fps=20&zone=zb");
        WsProbe d = WsProbe.connect(relay.port(), "?topics=transport&fps=20")) {
      assertEquals("zb", b.next().getHello().getZone());
      assertTrue(d.next().hasHello());
      for (int i = 0; i < 5; i++) {
        Envelope f = b.nextWhere(Envelope::hasTransport);
        assertEquals("in-zb", f.getTransport().getItemId());
        assertEquals("zb", f.getZone());
        Envelope g = d.nextWhere(Envelope::hasTransport);
        assertEquals("in-default", g.getTransport().getItemId());
      }
    }
  }

  @Test
  void aZoneMadeAtTheOriginIsServedByARelayAtOnceAndAZoneThatIsNotIsRefused() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(redis, true);
    RelayNode relay = relay(redis, origin);
    // Made one after another, each asked for at the relay as soon as the origin answered: before
    // the origin's next cut (50 ms apart at most), and often before the relay has read its event.
    for (int i = 0; i < 5; i++) {
      String id = "new" + i;
      makeZone(origin.port(), id, null);
      try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=player&zone=" + id)) {
        assertEquals(id, ws.next().getHello().getZone());
      }
    }
    HttpResponse<String> missing = TestDaemons.get(relay.port(), "/ws?zone=nosuch");
    assertEquals(404, missing.statusCode(), missing.body());
    assertTrue(missing.body().contains("zone_not_found"), missing.body());
  }

  /**
   * A relay on another machine: the origin does not trust its loopback, so it cannot ask the origin
   * whether a zone exists (401) and must answer from Redis. Redis holds the origin's writes back
   * for 400 ms (CLIENT PAUSE WRITE) while the zone is made: the origin's reply waits until the
   * zone's CREATED event is in Redis, so the relay asked right after it finds the zone. Before, the
   * reply went out at once and the relay answered 404.
   */
  @Test
  void aRemoteRelayServesAZoneOnceTheOriginHasAnsweredItsCreationEvenWhenRedisWritesLag()
      throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(redis, false);
    String admin = Files.readString(dir.resolve("origin").resolve(Daemon.ADMIN_TOKEN_FILE)).trim();
    RelayNode relay = relay(redis, origin);
    for (int i = 0; i < 3; i++) {
      String id = "late" + i;
      assertEquals("+OK", redis.command("CLIENT PAUSE 400 WRITE"));
      makeZone(origin.port(), id, admin);
      try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=player&zone=" + id)) {
        assertEquals(id, ws.next().getHello().getZone());
      }
    }
    HttpResponse<String> missing = TestDaemons.get(relay.port(), "/ws?zone=nosuch");
    assertEquals(404, missing.statusCode(), missing.body());
    assertTrue(missing.body().contains("zone_not_found"), missing.body());
    assertTrue(
        TestDaemons.get(origin.port(), "/health").body().contains("\"unconfirmed_replies\":0"),
        "every reply waited for its event in Redis");
    // Without Redis the origin goes on: a zone is made and answered (at once when the origin
    // knows Redis is gone, else when its write fails or after 1 s), counted as not confirmed.
    redis.stop();
    makeZone(origin.port(), "offline", admin);
    assertTrue(
        TestDaemons.get(origin.port(), "/health").body().contains("\"unconfirmed_replies\":1"),
        TestDaemons.get(origin.port(), "/health").body());
  }

  /**
   * A remote relay whose reader of the default zone's stream is behind (held) has not read a zone's
   * creation: before a 404 it reads the stream itself up to its newest entry, finds the CREATED
   * event and serves the zone. A zone the stream never made is still 404. Before, 404 for both.
   */
  @Test
  void aRemoteRelayBehindTheStreamReadsRedisBeforeAnsweringThatAZoneDoesNotExist()
      throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(redis, false);
    String admin = Files.readString(dir.resolve("origin").resolve(Daemon.ADMIN_TOKEN_FILE)).trim();
    RelayNode relay = relay(redis, origin);
    relay.follower().hold(true);
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!relay.follower().holding()) {
      assertTrue(System.nanoTime() < deadline, "the relay's reader did not stop");
      Thread.sleep(10);
    }
    makeZone(origin.port(), "behind", admin);
    makeZone(origin.port(), "gone", admin);
    HttpResponse<String> r =
        new AccessClient(origin.port()).send("DELETE", "/api/v1/zones/gone", null, admin);
    assertEquals(200, r.statusCode(), r.body());
    assertFalse(relay.mirrors().known("behind"), "the relay has not read the zone's creation");
    try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=player&zone=behind")) {
      assertEquals("behind", ws.next().getHello().getZone());
    }
    for (String id : List.of("gone", "nosuch")) {
      HttpResponse<String> missing = TestDaemons.get(relay.port(), "/ws?zone=" + id);
      assertEquals(404, missing.statusCode(), id + ": " + missing.body());
      assertTrue(missing.body().contains("zone_not_found"), missing.body());
    }
    relay.follower().hold(false);
  }

  @Test
  void aRelayKnowsAZoneFromItsCreatedEventWithoutWaitingForACut() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(redis, true);
    RelayNode relay = relay(redis, origin);
    for (int i = 0; i < 5; i++) {
      String id = "ev" + i;
      long before = origin.hub().currentSeq();
      makeZone(origin.port(), id, null);
      long made = zoneEvent(origin, id, before);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (relay.mirror().currentSeq() < made) {
        assertTrue(System.nanoTime() < deadline, "the relay did not read zone " + id + "'s event");
        Thread.onSpinWait();
      }
      assertTrue(relay.mirrors().known(id), "zone " + id + " once its CREATED event is read");
    }
    long before = origin.hub().currentSeq();
    HttpResponse<String> r =
        new AccessClient(origin.port()).send("DELETE", "/api/v1/zones/ev0", null, null);
    assertEquals(200, r.statusCode(), r.body());
    long removed = zoneEvent(origin, "ev0", before);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (relay.mirror().currentSeq() < removed) {
      assertTrue(System.nanoTime() < deadline, "the relay did not read the removal");
      Thread.onSpinWait();
    }
    assertFalse(relay.mirrors().known("ev0"), "zone ev0 once its REMOVED event is read");
  }

  @Test
  void aZoneNoSocketFollowsIsReleasedAfterItsLingerAndFollowedAgainOnDemand() throws Exception {
    RedisServer redis = keep(RedisServer.start());
    Daemon origin = origin(redis, true);
    makeZone(origin.port(), "zb", null);
    RelayNode relay = relay(redis, origin);
    String q = "?topics=player&zone=zb";
    try (WsProbe ws = WsProbe.connect(relay.port(), q)) {
      assertEquals("zb", ws.next().getHello().getZone());
      assertTrue(followed(relay, "zb"));
      assertEquals(List.of(), relay.releaseIdleZones(0), "a zone with a socket is kept");
      assertTrue(followed(relay, "zb"));
    }
    // Within the linger it stays (a client that reconnects resumes from its history).
    assertEquals(List.of(), relay.releaseIdleZones(io.tonearm.daemon.relay.ZoneMirrors.LINGER_MS));
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<String> released = relay.releaseIdleZones(0);
    while (released.isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "zone zb was not released after its last socket");
      Thread.sleep(10);
      released = relay.releaseIdleZones(0);
    }
    assertEquals(List.of("zb"), released);
    assertFalse(followed(relay, "zb"), "released: no reader, no history");
    assertTrue(relay.mirrors().known("zb"), "still a zone of the origin");
    assertEquals(List.of(), relay.releaseIdleZones(0), "the default zone is always followed");
    // A new socket follows it again from the stream and gets its state.
    long at = publish(origin, "zb", 33);
    try (WsProbe ws = WsProbe.connect(relay.port(), q)) {
      assertEquals("zb", ws.next().getHello().getZone());
      // The relay reads zb's stream again: its first snapshot may be of a cut before the event (a
      // relay lags the origin), which then follows; a state at or past the event's seq has it.
      Envelope p = ws.nextWhere(Envelope::hasPlayer);
      while (p.getPlayer().getState().getVolume() != 33) {
        assertTrue(p.getSeq() < at, "zone zb's state at seq " + p.getSeq() + " without " + at);
        p = ws.nextWhere(Envelope::hasPlayer);
      }
    }
  }

  /** Seq of the origin's newest ZoneChanged of zone {@code id} after {@code after}. */
  private static long zoneEvent(Daemon origin, String id, long after) {
    long found = -1;
    for (long s = after + 1; s <= origin.hub().currentSeq(); s++) {
      EncodedEvent e = origin.hub().event(s);
      if (e.topic() == Topic.ZONES && e.envelope().getZones().getZone().getId().equals(id)) {
        found = s;
      }
    }
    assertTrue(found > 0, "no ZoneChanged of " + id);
    return found;
  }

  private static boolean followed(RelayNode relay, String zone) {
    return relay.mirrors().all().stream().anyMatch(m -> m.zone().equals(zone));
  }
}
