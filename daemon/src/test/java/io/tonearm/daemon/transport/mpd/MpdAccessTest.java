package io.tonearm.daemon.transport.mpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.access.Scope;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.testing.AccessClient;
import io.tonearm.daemon.testing.LogCapture;
import io.tonearm.daemon.testing.TestDaemons;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MPD's {@code password} as Tonearm's tokens, end to end over TCP: every scope against every verb
 * (MPD's permission answer for each verb outside the token's scopes), {@code commands} and {@code
 * notcommands} by the connection's permissions, wrong passwords, revocation, the per-token
 * connection cap, the rate limits, and clients from a LAN address.
 */
class MpdAccessTest {

  /**
   * Every verb by the scope it needs (null: any connection), written out here rather than read from
   * the daemon, so that a verb whose scope changes, or a new verb, fails this test.
   */
  private static final Map<String, Scope> VERBS = new java.util.TreeMap<>();

  static {
    for (String v :
        "binarylimit close commands noidle notcommands password ping tagtypes".split(" ")) {
      VERBS.put(v, null);
    }
    put(
        Scope.READ,
        "albumart channels count currentsong decoders find getvol idle list listall listallinfo listfiles"
            + " listplaylist listplaylistinfo listplaylists lsinfo outputs playlist playlistfind"
            + " playlistid playlistinfo playlistlength playlistsearch plchanges plchangesposid"
            + " readmessages readpicture replay_gain_status search stats status sticker subscribe"
            + " unsubscribe"
            + " urlhandlers");
    put(
        Scope.CONTROL,
        "add addid clear consume crossfade delete deleteid disableoutput enableoutput findadd load"
            + " mixrampdb mixrampdelay move moveid next pause play playid previous prio prioid"
            + " random repeat replay_gain_mode searchadd sendmessage seek seekcur seekid setvol shuffle single"
            + " stop swap swapid toggleoutput volume");
    put(
        Scope.LIBRARY,
        "playlistadd playlistclear playlistdelete playlistmove rename rescan rm save update");
  }

  private static void put(Scope s, String verbs) {
    for (String v : verbs.split(" ")) {
      VERBS.put(v, s);
    }
  }

  @TempDir Path dir;
  private Daemon daemon;
  private LogCapture log;
  private String admin;
  private AccessClient http;
  private final List<String> secrets = new ArrayList<>();

  private void start(Config.Security s, String bind) throws Exception {
    log = new LogCapture();
    daemon = Daemon.start(TestDaemons.quiet(dir).withSecurity(s).withBind(bind).withMpdPort(0));
    admin = Files.readString(dir.resolve("admin.token"), StandardCharsets.US_ASCII).trim();
    secrets.add(admin);
    http = new AccessClient(daemon.port());
  }

  private void startUntrusted() throws Exception {
    start(
        Config.Security.defaults()
            .withTrustLoopback(false)
            .withRates(1_000_000, 1_000_000, 1_000_000, 1_000_000)
            .withMaxSocketsPerToken(2),
        "127.0.0.1");
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
    if (log != null) {
      log.close();
      for (String line : log.lines()) {
        for (String s : secrets) {
          assertFalse(line.contains(s.substring(5, 25)), "(part of) a secret in the log: " + line);
        }
      }
    }
  }

  private String token(String name, String... scopes) throws Exception {
    String s = http.create(admin, name, scopes);
    secrets.add(s);
    return s;
  }

  private MpdClient client() throws Exception {
    return new MpdClient(daemon.mpdPort());
  }

  private static String denied(String verb) {
    return "ACK [4@0] {" + verb + "} you don't have permission for \"" + verb + "\"";
  }

  private static Set<String> allowed(Set<Scope> scopes) {
    Set<String> out = new TreeSet<>();
    VERBS.forEach(
        (v, s) -> {
          if (s == null || scopes.contains(s)) {
            out.add(v);
          }
        });
    return out;
  }

  private static Set<String> commands(MpdClient c, String which) throws Exception {
    List<String> r = c.call(which);
    assertEquals("OK", r.get(r.size() - 1), which + ": " + r);
    return new TreeSet<>(MpdClient.fields(r, "command"));
  }

  @Test
  void aTokenLimitedToAnotherZoneMayNotUseTheMpdPort() throws Exception {
    startUntrusted();
    var made = http.send("POST", "/api/v1/zones", "{\"id\":\"patio\"}", admin);
    assertEquals(201, made.statusCode(), made.body());
    var t =
        http.send(
            "POST",
            "/api/v1/tokens",
            "{\"name\":\"patio\",\"scopes\":[\"read\",\"control\"],\"zones\":[\"patio\"]}",
            admin);
    assertEquals(201, t.statusCode(), t.body());
    String secret = t.body().substring(t.body().indexOf("\"secret\":\"") + 10);
    secret = secret.substring(0, secret.indexOf('"'));
    secrets.add(secret);
    try (MpdClient c = client()) {
      assertEquals(List.of("OK"), c.call("password " + secret));
      assertEquals(List.of(denied("status")), c.call("status"));
      assertEquals(List.of(denied("setvol")), c.call("setvol 5"));
      assertEquals(List.of("OK"), c.call("ping"));
      assertEquals(allowed(Set.of()), commands(c, "commands"));
    }
    assertTrue(http.send("GET", "/api/v1/player", null, admin).body().contains("\"volume\":100"));
  }

  @Test
  void everyScopeAgainstEveryVerb() throws Exception {
    startUntrusted();
    Map<Scope, String> only = new EnumMap<>(Scope.class);
    for (Scope s : Scope.values()) {
      only.put(s, token("only-" + s.wireName(), s.wireName()));
    }
    try (MpdClient c = client()) {
      assertEquals(List.of("OK"), c.call("password " + admin));
      assertEquals(VERBS.keySet(), commands(c, "commands"), "an admin token may use every verb");
      assertEquals(Set.of(), commands(c, "notcommands"));
    }
    for (Scope s : Scope.values()) {
      try (MpdClient c = client()) {
        assertEquals(List.of("OK"), c.call("password " + only.get(s)), s.wireName());
        Set<String> may = allowed(Set.of(s));
        assertEquals(may, commands(c, "commands"), s.wireName());
        Set<String> mayNot = new TreeSet<>(VERBS.keySet());
        mayNot.removeAll(may);
        assertEquals(mayNot, commands(c, "notcommands"), s.wireName());
        for (String v : VERBS.keySet()) {
          if (v.equals("close") || v.equals("noidle") || v.equals("password")) {
            continue; // each answered elsewhere (close would end this connection)
          }
          if (v.equals("idle")) {
            c.send("idle"); // waits for a change when allowed (noidle ends it), else refused
            assertEquals(
                may.contains(v) ? List.of("OK") : List.of(denied(v)),
                may.contains(v) ? c.call("noidle") : c.reply(),
                "idle with " + s.wireName());
            continue;
          }
          List<String> r = c.call(v);
          String last = r.get(r.size() - 1);
          if (may.contains(v)) {
            assertFalse(last.startsWith("ACK [4@"), v + " with " + s.wireName() + ": " + last);
          } else {
            assertEquals(List.of(denied(v)), r, v + " with " + s.wireName());
          }
        }
        assertEquals(List.of("OK"), c.call("ping"), "still open after the refusals");
      }
    }
  }

  @Test
  void loopbackWithoutTrustMayOnlyIntroduceItself() throws Exception {
    startUntrusted();
    try (MpdClient c = client()) {
      assertEquals("OK MPD 0.23.5", c.greeting);
      assertEquals(List.of(denied("status")), c.call("status"));
      assertEquals(List.of(denied("idle")), c.call("idle player"));
      assertEquals(List.of(denied("setvol")), c.call("setvol 10"), "before its argument check");
      assertEquals(List.of("OK"), c.call("ping"));
      assertEquals(allowed(Set.of()), commands(c, "commands"));
      // In a command list the refusal names the command's index, and stops the list.
      c.send("command_list_begin");
      c.send("ping");
      c.send("status");
      c.send("ping");
      assertEquals(
          List.of("ACK [4@1] {status} you don't have permission for \"status\""),
          c.call("command_list_end"));
    }
  }

  @Test
  void wrongPasswordIsRefusedLoggedAndChangesNothing() throws Exception {
    startUntrusted();
    String read = token("reader", "read");
    String wrong = "tnrm_" + "A".repeat(43);
    secrets.add(wrong);
    try (MpdClient c = client()) {
      assertEquals(List.of("OK"), c.call("password " + read));
      assertEquals(List.of("ACK [3@0] {password} incorrect password"), c.call("password " + wrong));
      assertEquals(
          List.of("ACK [3@0] {password} incorrect password"), c.call("password notatoken"));
      c.send("command_list_ok_begin");
      c.send("ping");
      c.send("password \"" + wrong + "\"");
      assertEquals(
          List.of("list_OK", "ACK [3@1] {password} incorrect password"),
          c.call("command_list_end"));
      assertEquals("OK", last(c.call("status")), "still the read token's permissions");
      assertEquals(List.of(denied("setvol")), c.call("setvol 10"));
    }
    List<String> audit = log.linesOf("audit");
    assertTrue(
        audit.stream()
            .anyMatch(l -> l.contains("auth failed from 127.0.0.1: token_unknown (MPD password)")),
        audit.toString());
    assertTrue(
        audit.stream()
            .anyMatch(
                l -> l.contains("auth failed from 127.0.0.1: token_malformed (MPD password)")),
        audit.toString());
  }

  @Test
  void revokingTheTokenClosesItsConnectionsAndTheirNumberIsCapped() throws Exception {
    startUntrusted();
    String t = token("phone", "read", "control");
    try (MpdClient a = client();
        MpdClient b = client();
        MpdClient c = client()) {
      assertEquals(List.of("OK"), a.call("password " + t));
      assertEquals(List.of("OK"), b.call("password " + t));
      assertEquals(List.of("OK"), b.call("password " + t), "the same token again: no new seat");
      assertEquals(
          List.of(
              "ACK [3@0] {password} token 'phone' has its most connections open"
                  + " (--max-sockets-per-token); close one first"),
          c.call("password " + t));
      assertEquals(List.of(denied("status")), c.call("status"));
      String id = http.idOf(admin, "phone");
      assertEquals(200, http.send("DELETE", "/api/v1/tokens/" + id, null, admin).statusCode());
      assertEquals(List.of("<closed>"), a.reply(), "revoked: closed");
      assertEquals(List.of("<closed>"), b.reply(), "revoked: closed");
      assertEquals(List.of("OK"), c.call("ping"), "the other connection stays");
      assertEquals(
          List.of("ACK [3@0] {password} incorrect password"),
          c.call("password " + t),
          "a revoked token");
    }
  }

  @Test
  void commandsOfATokenAreRateLimited() throws Exception {
    start(
        Config.Security.defaults()
            .withTrustLoopback(false)
            .withRates(0.001, 3, 1_000_000, 1_000_000),
        "127.0.0.1");
    try (MpdClient c = client()) {
      // Creating the token took no permit of its own bucket; the password is not limited per token.
      String t = token("slow", "read");
      assertEquals(List.of("OK"), c.call("password " + t));
      for (int i = 0; i < 3; i++) {
        assertEquals(List.of("OK"), c.call("ping"));
      }
      String refused = last(c.call("status"));
      assertTrue(
          refused.startsWith("ACK [52@0] {status} too many commands for this token; retry in "),
          refused);
    }
  }

  @Test
  void aLanClientNeedsAPasswordWhileLoopbackStaysTrusted() throws Exception {
    String lan = TestDaemons.lanAddress();
    assumeTrue(lan != null, "needs a non-loopback address on this machine");
    start(Config.Security.defaults(), "0.0.0.0");
    String read = token("lan-reader", "read");
    try (MpdClient remote = new MpdClient(lan, daemon.mpdPort());
        MpdClient local = client()) {
      assertEquals("OK MPD 0.23.5", remote.greeting);
      assertEquals(List.of(denied("status")), remote.call("status"));
      assertEquals(List.of("OK"), remote.call("password " + read));
      assertEquals("OK", last(remote.call("status")));
      assertEquals(List.of(denied("setvol")), remote.call("setvol 5"));
      assertEquals(List.of("OK"), local.call("setvol 5"), "loopback is trusted");
      // A password replaces the permissions, as in MPD: loopback with a read token may only read.
      assertEquals(List.of("OK"), local.call("password " + read));
      assertEquals(List.of(denied("setvol")), local.call("setvol 6"));
    }
  }

  @Test
  void connectionsPastTheDaemonsCapAreToldInMpdsForm() throws Exception {
    Config.Connections two = new Config.Connections(Set.of(), 2, 256, 10_000, 0, 256);
    daemon =
        Daemon.start(TestDaemons.quiet(dir).withConnections(two).withMpdPort(0)); // no HTTP use
    try (MpdClient a = client();
        MpdClient b = client();
        MpdClient c = client()) {
      assertEquals("OK MPD 0.23.5", a.greeting);
      assertEquals("OK MPD 0.23.5", b.greeting);
      assertEquals(
          "ACK [52@0] {} too_many_connections: 2 connections are open (--max-connections)",
          c.greeting);
      assertEquals(List.of("<closed>"), c.reply());
    }
  }

  private static String last(List<String> r) {
    return r.get(r.size() - 1);
  }
}
