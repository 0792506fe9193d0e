package io.tonearm.daemon.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.testing.AccessClient;
import io.tonearm.daemon.testing.RawHttp;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.Envelope;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command rates per token and sockets per token, over HTTP and the socket. */
class RateLimitE2ETest {

  @TempDir Path dir;
  private Daemon daemon;
  private AccessClient http;
  private String admin;

  @BeforeEach
  void start() throws Exception {
    Config.Security s =
        Config.Security.defaults()
            .withTrustLoopback(false)
            .withRates(0.5, 5, 1_000_000, 1_000_000) // a permit every 2 s: no refill mid-burst
            .withMaxSocketsPerToken(2);
    daemon = Daemon.start(TestDaemons.quiet(dir).withSecurity(s));
    http = new AccessClient(daemon.port());
    admin = Files.readString(dir.resolve("admin.token")).trim();
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  @Test
  void httpGets429WithRetryAfterAndRecovers() throws Exception {
    String t = http.create(admin, "fast", "read", "control");
    for (int i = 0; i < 5; i++) {
      assertEquals(200, http.send("GET", "/api/v1/player", null, t).statusCode(), "burst " + i);
    }
    HttpResponse<String> r = http.send("POST", "/api/v1/player/volume", "{\"volume\":5}", t);
    assertEquals(429, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"code\":\"rate_limited\""), r.body());
    assertTrue(r.body().contains("\"limit\":\"token\""), r.body());
    long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retry >= 1 && retry <= 2, "one every 2 s: the next permit within 2 s, was " + retry);
    assertTrue(
        http.send("GET", "/api/v1/player", null, admin).body().contains("\"volume\":100"),
        "the refused command changed nothing");
    Thread.sleep(retry * 1000);
    assertEquals(200, http.send("POST", "/api/v1/player/volume", "{\"volume\":5}", t).statusCode());
  }

  @Test
  void socketGetsErrorsWithRetryTimeThenCloses4008() throws Exception {
    String t = http.create(admin, "flood", "read", "control");
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?format=json", t)) {
      assertTrue(ws.next().hasHello());
      for (int i = 0; i < 5; i++) {
        ws.sendText("{\"request_id\":\"ok" + i + "\",\"command\":{\"name\":\"player.state\"}}");
        assertTrue(ws.nextWhere(e -> e.hasAck() || e.hasError()).hasAck());
      }
      ws.sendText("{\"request_id\":\"x\",\"command\":{\"name\":\"player.state\"}}");
      Envelope e = ws.nextWhere(x -> x.hasAck() || x.hasError());
      assertEquals("rate_limited", e.getError().getCode());
      assertTrue(Long.parseLong(e.getError().getDetailsMap().get("retry_after_ms")) > 0);
      for (int i = 0; i < 150; i++) {
        ws.sendText("{\"request_id\":\"f" + i + "\",\"command\":{\"name\":\"player.state\"}}");
      }
      assertEquals(4008, ws.closeCode(10));
    }
  }

  @Test
  void socketsPerTokenAreCapped() throws Exception {
    String t = http.create(admin, "many", "read");
    try (WsProbe a = WsProbe.connect(daemon.port(), "", t);
        WsProbe b = WsProbe.connect(daemon.port(), "", t)) {
      assertTrue(a.next().hasHello() && b.next().hasHello());
      try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
        raw.write(
            "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Authorization: Bearer "
                + t
                + "\r\n\r\n");
        String head = raw.readHead();
        assertTrue(head.startsWith("HTTP/1.1 429"), head);
        assertTrue(raw.readBody(head).contains("too_many_sockets"));
      }
    }
    // The daemon counts a socket until it has seen it close, a moment after the client did.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try (WsProbe again = WsProbe.connect(daemon.port(), "", t)) {
        assertTrue(again.next().hasHello(), "closed sockets no longer count");
        break;
      } catch (java.util.concurrent.ExecutionException refused) {
        assertTrue(
            System.nanoTime() < deadline, "still refused 10 s after both closed: " + refused);
        Thread.sleep(20);
      }
    }
  }
}
