package io.tonearm.daemon.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.RawHttp;
import io.tonearm.daemon.testing.TestDaemons;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon bound to a LAN address serves its own page (same-origin socket and commands) and refuses
 * requests addressed to a foreign name (DNS rebinding). Bound to this machine's first non-loopback
 * IPv4 address, or to 0.0.0.0 when it has none.
 */
class HostAndOriginE2ETest {

  @TempDir Path dir;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  private String token;

  private String request(RawHttp raw, String method, String path, String host, String origin)
      throws Exception {
    String body = method.equals("POST") ? "{\"volume\": 30}" : "";
    raw.write(
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\n"
            + (origin == null ? "" : "Origin: " + origin + "\r\n")
            + "Authorization: Bearer "
            + token
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body);
    String head = raw.readHead();
    raw.readBody(head);
    return head;
  }

  @Test
  void pageOnALanAddressWorksAndForeignHostsAreRefused() throws Exception {
    String lan = TestDaemons.lanAddress();
    String bind = lan == null ? "0.0.0.0" : lan;
    String connect = lan == null ? "127.0.0.1" : lan;
    String address = lan == null ? "192.0.2.77" : lan; // the Host a LAN browser would send
    daemon =
        Daemon.start(TestDaemons.quiet(dir).withBind(bind)); // not settled(): that asks 127.0.0.1
    int port = daemon.port();
    // A LAN address is not loopback: the page's requests need a token (the first admin token).
    token = java.nio.file.Files.readString(dir.resolve("admin.token")).trim();
    String self = address + ":" + port;
    String page = "http://" + self;
    try (RawHttp raw = new RawHttp(connect, port, 0)) {
      String head = request(raw, "GET", "/", self, null);
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      head = request(raw, "POST", "/api/v1/player/volume", self, page);
      assertTrue(head.startsWith("HTTP/1.1 200"), "the page's own POST: " + head);
      head = request(raw, "GET", "/api/v1/player", "rebound.attacker.example:" + port, page);
      assertTrue(head.startsWith("HTTP/1.1 421"), "a foreign Host: " + head);
      head = request(raw, "POST", "/api/v1/player/volume", self, "http://attacker.example");
      assertTrue(head.startsWith("HTTP/1.1 403"), "a foreign Origin: " + head);
      head = request(raw, "POST", "/api/v1/player/volume", self, "http://" + address + ":1");
      assertTrue(head.startsWith("HTTP/1.1 403"), "another port is another origin: " + head);
    }
    try (RawHttp raw = new RawHttp(connect, port, 0)) {
      raw.write(
          "GET /ws?topics=player HTTP/1.1\r\nHost: "
              + self
              + "\r\nOrigin: "
              + page
              + "\r\nAuthorization: Bearer "
              + token
              + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
              + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
      String head = raw.readHead();
      assertTrue(head.startsWith("HTTP/1.1 101"), "the page's own socket: " + head);
    }
  }
}
