package io.tonearm.daemon.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.RawHttp;
import io.tonearm.daemon.testing.TestDaemons;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a page on another site can make a browser send is refused: a form or text/plain POST (with
 * the foreign Origin, or with none), a body without a JSON type; the page's own origin with JSON
 * passes. Loopback is trusted here, so only the cross-site rule stands in the way.
 */
class CrossSiteE2ETest {

  @TempDir Path dir;
  private Daemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon = Daemon.start(TestDaemons.quiet(dir));
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  private String post(String path, String origin, String type, String body) throws Exception {
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write(
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + daemon.port()
              + "\r\n"
              + (origin == null ? "" : "Origin: " + origin + "\r\n")
              + (type == null ? "" : "Content-Type: " + type + "\r\n")
              + "Content-Length: "
              + body.length()
              + "\r\n\r\n"
              + body);
      String head = raw.readHead();
      return head.substring(9, 12) + " " + raw.readBody(head);
    }
  }

  private int volume() throws Exception {
    String b = TestDaemons.get(daemon.port(), "/api/v1/player").body();
    int at = b.indexOf("\"volume\":") + 9;
    return Integer.parseInt(b.substring(at, b.indexOf(',', at)));
  }

  @Test
  void foreignFormAndTextPostsAreRefusedAndChangeNothing() throws Exception {
    int before = volume();
    String form = "application/x-www-form-urlencoded";
    String r = post("/api/v1/player/volume", "http://evil.example", form, "volume=5");
    assertTrue(r.startsWith("403") && r.contains("origin_not_allowed"), r);
    r = post("/api/v1/player/volume", null, form, "{\"volume\":5}");
    assertTrue(r.startsWith("415") && r.contains("unsupported_media_type"), r);
    r = post("/api/v1/player/volume", null, "text/plain;charset=UTF-8", "{\"volume\":5}");
    assertTrue(r.startsWith("415"), r);
    r = post("/api/v1/player/volume", null, "multipart/form-data; boundary=x", "{\"volume\":5}");
    assertTrue(r.startsWith("415"), r);
    r = post("/api/v1/player/volume", null, null, "{\"volume\":5}");
    assertTrue(r.startsWith("415"), "a body without a type: " + r);
    r = post("/api/v1/player/pause", null, "text/plain", "");
    assertTrue(r.startsWith("415"), "an empty text/plain POST: " + r);
    r = post("/api/v1/player/volume", "null", "application/json", "{\"volume\":5}");
    assertTrue(r.startsWith("403"), "Origin: null (a sandboxed page): " + r);
    assertEquals(before, volume());
  }

  @Test
  void thePagesOwnOriginWithJsonAndToolsWithoutOriginPass() throws Exception {
    String own = "http://127.0.0.1:" + daemon.port();
    String r = post("/api/v1/player/volume", own, "application/json", "{\"volume\":21}");
    assertTrue(r.startsWith("200"), r);
    assertEquals(21, volume());
    r = post("/api/v1/player/volume", null, "application/json; charset=utf-8", "{\"volume\":22}");
    assertTrue(r.startsWith("200"), r);
    r = post("/api/v1/player/pause", null, null, "");
    assertTrue(r.startsWith("200"), "no body, no type (curl -X POST): " + r);
    r = post("/api/v1/playlists/import?name=x", null, "audio/x-mpegurl", "#EXTM3U\n");
    assertTrue(r.startsWith("201"), "an M3U import: " + r);
    r = post("/api/v1/playlists/import?name=y", null, "application/json", "#EXTM3U\n");
    assertTrue(r.startsWith("415"), "an import is M3U: " + r);
  }
}
