package io.tonearm.daemon.transport;

import static io.tonearm.daemon.testing.RawHttp.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.RawHttp;
import io.tonearm.daemon.testing.TestDaemons;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9110's rules for what every reply carries, checked with raw exchanges on the real pipeline: a
 * HEAD is the GET without its body on every GET route, a 405 says which methods the path takes, and
 * every final reply has a Date.
 */
class HttpSemanticsE2ETest {

  @TempDir static Path dir;
  private static Daemon daemon;

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  private static String request(RawHttp raw, String method, String path) throws Exception {
    raw.write(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return raw.readHead();
  }

  @Test
  void aHeadOnAnApiGetRouteHasTheGetsHeadersAndNoBody() throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      String get = request(raw, "GET", "/api/v1/library/folders");
      String body = raw.readBody(get);
      String head = request(raw, "HEAD", "/api/v1/library/folders");
      assertTrue(head.startsWith("HTTP/1.1 200 "), head);
      assertEquals(Integer.toString(body.length()), header(head, "content-length"), head);
      assertEquals(header(get, "content-type"), header(head, "content-type"), head);
      // No body follows the HEAD's head: the next bytes are the next reply's status line.
      String next = request(raw, "GET", "/health");
      assertTrue(next.startsWith("HTTP/1.1 200 "), next);
    }
  }

  @Test
  void aWrongMethodOnAKnownPathIs405WithAllow() throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      String player = request(raw, "DELETE", "/api/v1/player");
      raw.readBody(player);
      assertTrue(player.startsWith("HTTP/1.1 405 "), player);
      assertEquals("GET, HEAD", header(player, "allow"), player);
      String volume = request(raw, "GET", "/api/v1/player/volume");
      raw.readBody(volume);
      assertTrue(volume.startsWith("HTTP/1.1 405 "), volume);
      assertEquals("POST", header(volume, "allow"), volume);
      String health = request(raw, "POST", "/health");
      raw.readBody(health);
      assertTrue(health.startsWith("HTTP/1.1 405 "), health);
      assertEquals("GET, HEAD", header(health, "allow"), health);
    }
  }

  @Test
  void everyFinalReplyHasADate() throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      for (String[] r :
          new String[][] {
            {"GET", "/api/v1/player"}, {"GET", "/api/v1/no-such-route"}, {"PUT", "/health"}
          }) {
        String head = request(raw, r[0], r[1]);
        raw.readBody(head);
        String date = header(head, "date");
        assertNotNull(date, head);
        ZonedDateTime when = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
        assertTrue(date.endsWith(" GMT"), date);
        assertFalse(
            Math.abs(when.toEpochSecond() - System.currentTimeMillis() / 1000) > 3600,
            "a Date of this hour: " + date);
      }
    }
  }

  @Test
  void theAbsoluteFormIsAcceptedAndItsAuthorityIsTheHost() throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write(
          "GET http://127.0.0.1:"
              + daemon.port()
              + "/api/v1/player?zone=default HTTP/1.1\r\nHost: rebound.evil.example\r\n\r\n");
      String ok = raw.readHead();
      assertTrue(ok.startsWith("HTTP/1.1 200 "), ok);
      assertTrue(raw.readBody(ok).contains("\"volume\""));
      raw.write("GET HTTP://rebound.evil.example/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      String foreign = raw.readHead();
      assertTrue(foreign.startsWith("HTTP/1.1 421 "), foreign);
    }
  }

  @Test
  void anHttp11RequestWithoutHostIs400() throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write("GET /api/v1/player HTTP/1.1\r\n\r\n");
      String head = raw.readHead();
      assertTrue(head.startsWith("HTTP/1.1 400 "), head);
      assertTrue(raw.readBody(head).contains("\"bad_request\""));
    }
  }

  @Test
  void aHeadOfTheAudioStreamHasItsHeadersAndNoBody() throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      String head = request(raw, "HEAD", "/stream/wav16");
      assertTrue(head.startsWith("HTTP/1.1 200 "), head);
      assertEquals("audio/wav", header(head, "content-type"), head);
      assertEquals("wav16", header(head, "x-tonearm-stream-format"), head);
      assertEquals(0, raw.drainUntilClosed(), "no body after the head, and the connection ends");
    }
  }
}
