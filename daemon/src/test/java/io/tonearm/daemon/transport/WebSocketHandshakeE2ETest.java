package io.tonearm.daemon.transport;

import static io.tonearm.daemon.testing.RawHttp.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.RawHttp;
import io.tonearm.daemon.testing.TestDaemons;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opening handshake as RFC 6455 section 4.2 states it, with raw requests: version 13 only (426
 * naming it otherwise), a 16-byte key, HTTP/1.1, GET; each refusal one JSON error whose length is
 * given.
 */
class WebSocketHandshakeE2ETest {

  @TempDir static Path dir;
  private static Daemon daemon;

  /** The sample key of RFC 6455 section 1.3 and its accept value. */
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  private static String[] exchange(String requestLine, String version, String key, String extra)
      throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write(
          requestLine
              + "\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
              + (version == null ? "" : "Sec-WebSocket-Version: " + version + "\r\n")
              + (key == null ? "" : "Sec-WebSocket-Key: " + key + "\r\n")
              + extra
              + "\r\n");
      String head = raw.readHead();
      String body = head.startsWith("HTTP/1.1 101 ") ? "" : raw.readBody(head);
      return new String[] {head, body};
    }
  }

  private static String[] exchange(String version, String key) throws Exception {
    return exchange("GET /ws HTTP/1.1", version, key, "");
  }

  @Test
  void version13WithTheSampleKeyGetsItsAccept() throws Exception {
    String head = exchange("13", KEY)[0];
    assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", header(head, "sec-websocket-accept"), head);
  }

  @Test
  void anotherVersionIs426NamingVersion13() throws Exception {
    for (String v : new String[] {"8", "7", "12", "14", "13, 8"}) {
      String[] r = exchange(v, KEY);
      assertTrue(r[0].startsWith("HTTP/1.1 426 "), v + ": " + r[0]);
      assertEquals("13", header(r[0], "sec-websocket-version"), r[0]);
      assertEquals("websocket", header(r[0], "upgrade"), r[0]);
      assertTrue(r[1].contains("\"code\":\"upgrade_required\""), r[1]);
    }
  }

  @Test
  void aKeyThatIsNotSixteenBase64BytesIsA400() throws Exception {
    for (String key :
        new String[] {"abc", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZSE=", ""}) {
      String[] r = exchange("13", key);
      assertTrue(r[0].startsWith("HTTP/1.1 400 "), "'" + key + "': " + r[0]);
      assertTrue(r[1].contains("\"code\":\"bad_request\""), r[1]);
    }
    String[] missing = exchange("13", null);
    assertTrue(missing[0].startsWith("HTTP/1.1 400 "), missing[0]);
    assertTrue(missing[1].contains("\"code\":\"bad_request\""), missing[1]);
  }

  @Test
  void aHandshakeIsAnHttp11Get() throws Exception {
    String[] post = exchange("POST /ws HTTP/1.1", "13", KEY, "Content-Length: 0\r\n");
    assertTrue(post[0].startsWith("HTTP/1.1 405 "), post[0]);
    assertEquals("GET", header(post[0], "allow"), post[0]);
    String[] old = exchange("GET /ws HTTP/1.0", "13", KEY, "");
    assertTrue(old[0].startsWith("HTTP/1.1 400 "), old[0]);
    assertTrue(old[1].contains("\"code\":\"bad_request\""), old[1]);
  }

  @Test
  void aPlainGetOfTheSocketIs426NamingWebsocket() throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      String head = raw.readHead();
      assertTrue(head.startsWith("HTTP/1.1 426 "), head);
      assertEquals("websocket", header(head, "upgrade"), head);
      assertTrue(raw.readBody(head).contains("\"code\":\"upgrade_required\""));
    }
  }
}
