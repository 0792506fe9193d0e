package io.tonearm.daemon.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.RelayNode;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.config.RedisConfig;
import io.tonearm.daemon.testing.AccessClient;
import io.tonearm.daemon.testing.RedisServer;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Command;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.VolumeRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands and tokens through a relay: an origin that trusts nobody without a token, a relay in
 * front of it, real sockets. The relay holds no tokens; the origin decides.
 */
class OriginCommandsTest {

  @TempDir Path dir;
  private RedisServer redis;
  private Daemon origin;
  private RelayNode relay;
  private String admin;
  private AccessClient access;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    Path d = Files.createDirectories(dir.resolve("origin"));
    Config c =
        TestDaemons.quiet(d).withSecurity(Config.Security.defaults().withTrustLoopback(false));
    origin = Daemon.start(c, RedisConfig.publishTo(redis.url()));
    admin = Files.readString(d.resolve(Daemon.ADMIN_TOKEN_FILE)).trim();
    access = new AccessClient(origin.port());
    RedisConfig r = RedisConfig.relay(redis.url(), "http://127.0.0.1:" + origin.port());
    relay =
        RelayNode.start(
            TestDaemons.quiet(Files.createDirectories(dir.resolve("relay"))),
            r,
            new OriginCommands(r.origin(), true));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!(relay.follower().up() && relay.mirror().ready())) {
      assertTrue(System.nanoTime() < deadline, "relay not ready");
      Thread.sleep(20);
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
    if (origin != null) {
      origin.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static ClientMessage volume(String id, int v) {
    return ClientMessage.newBuilder()
        .setRequestId(id)
        .setCommand(
            Command.newBuilder()
                .setName("player.volume")
                .setRequest(Any.pack(VolumeRequest.newBuilder().setVolume(v).build())))
        .build();
  }

  @Test
  void aCommandOnARelaySocketRunsAtTheOriginAsTheCallersToken() throws Exception {
    String control = access.create(admin, "knob", "read", "control");
    try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=player", control)) {
      assertTrue(ws.next().hasHello());
      ws.nextState(); // the snapshot
      ws.send(volume("v1", 33));
      Envelope event = ws.nextWhere(e -> e.hasPlayer() || e.hasAck() || e.hasError());
      assertTrue(event.hasPlayer(), "the event comes before the Ack: " + event);
      assertEquals(33, event.getPlayer().getState().getVolume());
      Envelope ack = ws.nextWhere(e -> e.hasAck() || e.hasError());
      assertTrue(ack.hasAck(), ack.toString());
      assertEquals("v1", ack.getAck().getRequestId());
      assertEquals(event.getSeq(), ack.getAck().getSeq());
      assertEquals(33, ack.getAck().getReply().unpack(PlayerReply.class).getState().getVolume());
    }
    HttpResponse<String> state = access.send("GET", "/api/v1/player", null, admin);
    assertTrue(state.body().contains("\"volume\":33"), state.body());
  }

  @Test
  void theOriginRefusesWhatTheTokenMayNotDo() throws Exception {
    String reader = access.create(admin, "viewer", "read");
    try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=player", reader)) {
      assertTrue(ws.next().hasHello());
      ws.send(volume("v2", 12));
      Envelope err = ws.nextWhere(e -> e.hasAck() || e.hasError());
      assertTrue(err.hasError(), err.toString());
      assertEquals("scope_missing", err.getError().getCode());
      assertEquals("v2", err.getError().getRequestId());
    }
  }

  @Test
  void aSocketWithABadTokenIsRefusedAtTheUpgradeWithTheOriginsStatus() throws Exception {
    java.util.concurrent.ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.ExecutionException.class,
            () -> WsProbe.connect(relay.port(), "?topics=player", "tnrm_" + "A".repeat(43)));
    java.net.http.WebSocketHandshakeException h =
        (java.net.http.WebSocketHandshakeException) e.getCause();
    assertEquals(401, h.getResponse().statusCode());
  }

  @Test
  void revokingATokenAtTheOriginClosesItsRelaySocketsWith4003() throws Exception {
    String phone = access.create(admin, "phone", "read", "control");
    try (WsProbe ws = WsProbe.connect(relay.port(), "?topics=player", phone)) {
      assertTrue(ws.next().hasHello());
      String id = access.idOf(admin, "phone");
      assertEquals(200, access.send("DELETE", "/api/v1/tokens/" + id, null, admin).statusCode());
      assertEquals(4003, ws.closeCode(10));
    }
  }

  @Test
  void theRelaysApiGoesToTheOriginWithTheCallersToken() throws Exception {
    AccessClient viaRelay = new AccessClient(relay.port());
    assertEquals(401, viaRelay.send("GET", "/api/v1/player", null, null).statusCode());
    HttpResponse<String> ok = viaRelay.send("GET", "/api/v1/player", null, admin);
    assertEquals(200, ok.statusCode(), ok.body());
    assertTrue(ok.body().contains("\"state\""), ok.body());
  }
}
