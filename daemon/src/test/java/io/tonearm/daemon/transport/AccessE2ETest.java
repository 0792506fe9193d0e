package io.tonearm.daemon.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.access.Scope;
import io.tonearm.daemon.command.Command;
import io.tonearm.daemon.command.CommandTable;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.testing.AccessClient;
import io.tonearm.daemon.testing.LogCapture;
import io.tonearm.daemon.testing.RawHttp;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.Envelope;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens and scopes end to end, with loopback trust off so that this machine counts as any other:
 * every scope against every command of the table over HTTP and the socket, each kind of bad
 * credential, tickets and the subprotocol, revocation closing sockets, and no secret in the log.
 */
class AccessE2ETest {

  @TempDir Path dir;
  private Daemon daemon;
  private AccessClient http;
  private String admin;
  private LogCapture log;
  private final List<String> secrets = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    log = new LogCapture();
    Config.Security open =
        Config.Security.defaults()
            .withTrustLoopback(false)
            .withRates(1_000_000, 1_000_000, 1_000_000, 1_000_000);
    daemon = Daemon.start(TestDaemons.quiet(dir).withSecurity(open));
    http = new AccessClient(daemon.port());
    admin = Files.readString(dir.resolve("admin.token"), StandardCharsets.US_ASCII).trim();
    secrets.add(admin);
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
    log.close();
    for (String line : log.lines()) {
      for (String s : secrets) {
        assertFalse(line.contains(s), "a secret in the log: " + line);
        assertFalse(line.contains(s.substring(5, 25)), "part of a secret in the log: " + line);
      }
    }
    assertFalse(log.linesOf("audit").isEmpty(), "the audit log said nothing");
  }

  private String token(String name, String... scopes) throws Exception {
    String s = http.create(admin, name, scopes);
    secrets.add(s);
    return s;
  }

  @Test
  void firstAdminTokenIsWrittenOwnerOnly() throws Exception {
    Path f = dir.resolve("admin.token");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertTrue(admin.startsWith("tnrm_") && admin.length() == 48, admin.length() + "");
    assertEquals(200, http.send("GET", "/api/v1/tokens", null, admin).statusCode());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tokens.bin"))));
    assertFalse(
        Files.readString(dir.resolve("tokens.bin"), StandardCharsets.ISO_8859_1).contains(admin));
  }

  @Test
  void everyScopeAgainstEveryHttpRoute() throws Exception {
    Map<Scope, String> only = new EnumMap<>(Scope.class);
    for (Scope s : Scope.values()) {
      only.put(s, token("only-" + s.wireName(), s.wireName()));
    }
    CommandTable table = daemon.commands();
    for (Command<?> c : table.commands()) {
      check(only, c.name(), c.method(), c.path(), c.scope());
    }
    for (CommandTable.HttpRoute r : table.httpOnly()) {
      check(only, r.name(), r.method(), r.path(), r.scope());
    }
  }

  private void check(Map<Scope, String> only, String name, String method, String path, Scope need)
      throws Exception {
    String p = path.replace("{id}", "ffffffffffffffff").replace("{name}", "nosuch");
    // The M3U import and an upload take no JSON (415 before any token check): sent without a body.
    boolean noBody =
        method.equals("GET")
            || method.equals("DELETE")
            || name.equals("playlists.import")
            || name.equals("library.upload");
    String body = noBody ? null : "{}";
    for (Scope s : Scope.values()) {
      HttpResponse<String> r = http.send(method, p, body, only.get(s));
      String what =
          name + " with a '" + s.wireName() + "' token: " + r.statusCode() + " " + r.body();
      if (s == need) {
        assertNotEquals(401, r.statusCode(), what);
        assertFalse(r.body().contains("scope_missing"), what);
      } else {
        assertEquals(403, r.statusCode(), what);
        assertTrue(r.body().contains("\"code\":\"scope_missing\""), what);
        assertTrue(r.body().contains("\"scope\":\"" + need.wireName() + "\""), what);
      }
    }
  }

  @Test
  void everyScopeAgainstEveryCommandOnTheSocket() throws Exception {
    for (Scope extra : Scope.values()) {
      String t =
          extra == Scope.READ
              ? token("read-only", "read")
              : token("read-" + extra.wireName(), "read", extra.wireName());
      try (WsProbe ws = WsProbe.connect(daemon.port(), "?format=json", t)) {
        assertTrue(ws.next().hasHello());
        int n = 0;
        for (Command<?> c : daemon.commands().commands()) {
          String id = "r" + n++;
          ws.sendText(
              "{\"request_id\":\""
                  + id
                  + "\",\"command\":{\"name\":\""
                  + c.name()
                  + "\",\"params\":{\"id\":\"ffffffffffffffff\",\"name\":\"nosuch\"}}}");
          Envelope e =
              ws.nextWhere(
                  x ->
                      (x.hasAck() && x.getAck().getRequestId().equals(id))
                          || (x.hasError() && x.getError().getRequestId().equals(id)));
          boolean allowed = c.scope() == Scope.READ || c.scope() == extra;
          String what = c.name() + " with read+" + extra.wireName() + ": " + e;
          if (allowed) {
            assertFalse(e.hasError() && e.getError().getCode().equals("scope_missing"), what);
          } else {
            assertTrue(e.hasError(), what);
            assertEquals("scope_missing", e.getError().getCode(), what);
            assertEquals(c.scope().wireName(), e.getError().getDetailsMap().get("scope"), what);
          }
        }
      }
    }
  }

  @Test
  void badCredentialsEachGetTheirOwnCodeAndChangeNothing() throws Exception {
    assertTrue(http.send("GET", "/api/v1/player", null, admin).body().contains("\"volume\":100"));
    HttpResponse<String> r = http.send("POST", "/api/v1/player/volume", "{\"volume\":7}", null);
    assertEquals(401, r.statusCode());
    assertTrue(r.body().contains("token_missing"), r.body());
    assertEquals("Bearer realm=\"tonearm\"", r.headers().firstValue("WWW-Authenticate").get());

    assertEquals("token_malformed", codeOf(rawAuth("Basic YWRtaW46YWRtaW4=")));
    assertEquals("token_malformed", codeOf(rawAuth("Bearer not-a-token")));
    String unknown = "tnrm_" + "A".repeat(43);
    HttpResponse<String> u = http.send("GET", "/api/v1/player", null, unknown);
    assertEquals(401, u.statusCode());
    assertTrue(u.body().contains("token_unknown"), u.body());
    assertTrue(u.headers().firstValue("WWW-Authenticate").get().contains("invalid_token"));

    String old =
        daemon
            .access()
            .tokens()
            .create("old", List.of("control"), List.of(), 60, System.currentTimeMillis() - 120_000)
            .secret();
    secrets.add(old);
    HttpResponse<String> e = http.send("POST", "/api/v1/player/volume", "{\"volume\":7}", old);
    assertEquals(401, e.statusCode());
    assertTrue(e.body().contains("token_expired"), e.body());

    String gone = token("gone", "control");
    String goneId = http.idOf(admin, "gone");
    assertEquals(200, http.send("DELETE", "/api/v1/tokens/" + goneId, null, admin).statusCode());
    HttpResponse<String> g = http.send("POST", "/api/v1/player/volume", "{\"volume\":7}", gone);
    assertEquals(401, g.statusCode());
    assertTrue(g.body().contains("token_revoked"), g.body());

    String reader = token("reader", "read");
    HttpResponse<String> s = http.send("POST", "/api/v1/player/volume", "{\"volume\":7}", reader);
    assertEquals(403, s.statusCode());
    assertTrue(s.body().contains("scope_missing"), s.body());

    assertTrue(http.send("GET", "/api/v1/player", null, admin).body().contains("\"volume\":100"));
  }

  private String rawAuth(String header) throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write(
          "GET /api/v1/player HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
              + header
              + "\r\n\r\n");
      String head = raw.readHead();
      assertTrue(head.startsWith("HTTP/1.1 401"), head);
      return raw.readBody(head);
    }
  }

  private static String codeOf(String json) {
    int at = json.indexOf("\"code\":\"") + 8;
    return json.substring(at, json.indexOf('"', at));
  }

  @Test
  void publicAndReadOnlyPaths() throws Exception {
    assertEquals(200, http.send("GET", "/health", null, null).statusCode());
    assertEquals(200, http.send("GET", "/", null, null).statusCode());
    assertEquals(401, http.send("GET", "/metrics", null, null).statusCode());
    assertEquals(401, http.send("GET", "/stream", null, null).statusCode());
    String reader = token("metrics", "read");
    HttpResponse<String> m = http.send("GET", "/metrics", null, reader);
    assertEquals(200, m.statusCode());
    assertTrue(
        m.body().contains("\ntonearm_rate_per_token 1000000"),
        m.body().lines().filter(l -> l.contains("rate")).toList().toString());
    assertTrue(http.send("GET", "/health", null, null).body().contains("\"rate_per_token\""));
    String control = token("no-read", "control");
    assertEquals(403, http.send("GET", "/metrics", null, control).statusCode());
  }

  @Test
  void everyPathTheUpgradeTakesIsTheGatedSocketOrNotFound() throws Exception {
    // Netty's upgrade handler takes /ws/<anything> as well as /ws; the gate used to check only
    // /ws, so /ws/x opened a socket (events and commands) with no token at all.
    for (String path : new String[] {"/ws/x", "/ws/", "/ws/?format=json", "/ws/..%2Fws"}) {
      try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
        String head = raw.upgrade(path, null);
        assertTrue(head.startsWith("HTTP/1.1 404"), path + ": " + head);
        assertEquals("not_found", codeOf(raw.readBody(head)), path);
      }
    }
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      assertTrue(raw.upgrade("/ws?format=json", null).startsWith("HTTP/1.1 401"));
    }
  }

  @Test
  void socketNeedsAReadTokenTicketOrSubprotocolAndTicketsAreOneUse() throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      assertTrue(raw.upgrade("/ws", null).startsWith("HTTP/1.1 401"));
    }
    String reader = token("reader", "read");
    String control = token("controller", "control");
    HttpResponse<String> t = http.send("POST", "/api/v1/auth/ticket", null, reader);
    assertEquals(200, t.statusCode(), t.body());
    String ticket = t.body().substring(t.body().indexOf("\"ticket\":\"") + 10);
    ticket = ticket.substring(0, ticket.indexOf('"'));
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?ticket=" + ticket)) {
      assertTrue(ws.next().hasHello());
    }
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      String head = raw.upgrade("/ws?ticket=" + ticket, null);
      assertTrue(head.startsWith("HTTP/1.1 401"), head);
      assertTrue(raw.readBody(head).contains("ticket_used"));
    }
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      String head = raw.upgrade("/ws?ticket=nosuchticket", null);
      assertTrue(raw.readBody(head).contains("ticket_unknown"));
    }
    try (WsProbe ws =
        WsProbe.connect(daemon.port(), "", null, "tonearm.v1", "tonearm.bearer." + reader)) {
      assertTrue(ws.next().hasHello());
      assertEquals("tonearm.v1", ws.subprotocol());
    }
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write(
          "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
              + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              + "Authorization: Bearer "
              + control
              + "\r\n\r\n");
      String head = raw.readHead();
      assertTrue(head.startsWith("HTTP/1.1 403"), "a token without read: " + head);
    }
  }

  @Test
  void revokingATokenClosesItsSocketsWith4003() throws Exception {
    String t = token("phone", "read", "control");
    String ticket = http.send("POST", "/api/v1/auth/ticket", null, t).body();
    ticket = ticket.substring(ticket.indexOf("\"ticket\":\"") + 10);
    ticket = ticket.substring(0, ticket.indexOf('"'));
    String other = token("other", "read");
    try (WsProbe a = WsProbe.connect(daemon.port(), "?topics=player", t);
        WsProbe b = WsProbe.connect(daemon.port(), "?ticket=" + ticket);
        WsProbe c = WsProbe.connect(daemon.port(), "", null, "tonearm.v1", "tonearm.bearer." + t);
        WsProbe keep = WsProbe.connect(daemon.port(), "", other)) {
      for (WsProbe p : List.of(a, b, c, keep)) {
        assertTrue(p.next().hasHello());
      }
      HttpResponse<String> r =
          http.send("DELETE", "/api/v1/tokens/" + http.idOf(admin, "phone"), null, admin);
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"closed_sockets\":3"), r.body());
      for (WsProbe p : List.of(a, b, c)) {
        assertEquals(4003, p.closeCode(10));
      }
      assertEquals(
          401, http.send("GET", "/api/v1/player", null, t).statusCode(), "revoked over HTTP");
      try (WsProbe again = WsProbe.connect(daemon.port(), "", other)) {
        assertTrue(again.next().hasHello(), "another token's sockets are untouched");
      }
    }
    assertTrue(
        log.linesOf("audit").stream().anyMatch(l -> l.contains("admin tokens.revoke")),
        log.linesOf("audit").toString());
  }

  @Test
  void streamTakesAOneUseTicket() throws Exception {
    String reader = token("listener", "read");
    HttpResponse<String> t = http.send("POST", "/api/v1/auth/ticket", null, reader);
    assertEquals(200, t.statusCode(), t.body());
    String ticket = t.body().substring(t.body().indexOf("\"ticket\":\"") + 10);
    ticket = ticket.substring(0, ticket.indexOf('"'));
    secrets.add(ticket);
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write("GET /stream?ticket=" + ticket + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      String head = raw.readHead();
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("audio/wav"), head);
    }
    HttpResponse<String> again = http.send("GET", "/stream?ticket=" + ticket, null, null);
    assertEquals(401, again.statusCode(), again.body());
    assertEquals("ticket_used", codeOf(again.body()));
    HttpResponse<String> unknown = http.send("GET", "/stream?ticket=nosuchticket", null, null);
    assertEquals("ticket_unknown", codeOf(unknown.body()));
  }

  @Test
  void tenThousandFailedAuthenticationsFromOneAddressAreLimitedAndBounded() throws Exception {
    String bad = "tnrm_" + "A".repeat(43); // well-formed, never made here
    java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    java.util.Map<String, Integer> codes = new java.util.TreeMap<>();
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest r =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + daemon.port() + "/api/v1/player"))
            .header("Authorization", "Bearer " + bad)
            .build();
    long floodStart = System.nanoTime();
    for (int batch = 0; batch < 100; batch++) {
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> inFlight =
          new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        inFlight.add(client.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
      }
      for (var f : inFlight) {
        HttpResponse<String> resp = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        statuses.merge(resp.statusCode(), 1, Integer::sum);
        codes.merge(codeOf(resp.body()), 1, Integer::sum);
      }
    }
    assertEquals(10_000, statuses.values().stream().mapToInt(Integer::intValue).sum());
    assertEquals(Set.of(401, 429), statuses.keySet(), statuses.toString());
    double floodMinutes = (System.nanoTime() - floodStart) / 60e9;
    int burst = Config.Security.defaults().authFailureBurst();
    // The burst is checked and refused as unknown; the rest are refused unchecked, but for the
    // few the refill lets through while the flood lasts (10 a minute: more on a slow machine).
    int refilled =
        (int) Math.ceil(floodMinutes * Config.Security.defaults().authFailuresPerMinute()) + 1;
    assertTrue(
        statuses.get(401) >= burst && statuses.get(401) <= burst + refilled,
        statuses + " in " + floodMinutes + " min");
    assertEquals(statuses.get(429), codes.get("too_many_auth_failures"), codes.toString());
    // Bounded: one address remembered, the refusals past the burst counted, not kept.
    assertEquals(1, daemon.access().failureAddresses());
    assertEquals((long) statuses.get(429), daemon.access().limitedAuth());
    assertTrue(
        http.send("GET", "/health", null, null).body().contains("\"auth_refused_unchecked\":"));
    // Not one audit line per refusal: the unchecked ones are not logged one by one.
    long auditFailures =
        log.linesOf("audit").stream().filter(l -> l.contains("auth failed")).count();
    assertTrue(auditFailures <= burst + refilled + 20, auditFailures + " audit lines");
    // The address is refused as a whole while it is limited, a good token included, with a retry
    // time. The limit lets one try through per refill (every 6 s by default), and a slow machine
    // may reach that moment between the flood and this request: so a bad request is sent first
    // until one is refused unchecked (no try left now), then the good one right after it.
    HttpResponse<String> good = null;
    for (int attempt = 0; attempt < 3 && (good == null || good.statusCode() != 429); attempt++) {
      for (int i = 0; i < 5; i++) {
        if (client.send(r, HttpResponse.BodyHandlers.ofString()).statusCode() == 429) {
          break;
        }
      }
      good = http.send("GET", "/api/v1/player", null, admin);
    }
    assertEquals(429, good.statusCode(), good.body());
    assertTrue(good.headers().firstValue("Retry-After").isPresent());
  }
}
