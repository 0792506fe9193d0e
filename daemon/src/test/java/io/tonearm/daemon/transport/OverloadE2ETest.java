package io.tonearm.daemon.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.testing.RawHttp;
import io.tonearm.daemon.testing.TestDaemons;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that push more than the daemon takes at once: each bound holds and is answered. */
class OverloadE2ETest {

  @TempDir Path dir;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void twoHundredPipelinedCommandsAreAllAnsweredInOrder() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      String body = "{\"volume\": " + (1 + i % 100) + "}";
      all.append("POST /api/v1/player/volume HTTP/1.1\r\nHost: 127.0.0.1\r\n")
          .append("Content-Type: application/json\r\nContent-Length: ")
          .append(body.length())
          .append("\r\n\r\n")
          .append(body);
    }
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write(all.toString());
      for (int i = 0; i < 200; i++) {
        String head = raw.readHead();
        assertTrue(head.startsWith("HTTP/1.1 200"), i + ": " + head);
        String body = raw.readBody(head);
        assertTrue(body.matches("(?s).*\"volume\":" + (1 + i % 100) + "[,}].*"), i + ": " + body);
      }
    }
  }

  private static Config.Connections limits(int max, int perAddress, int headerMs, int fdReserve) {
    return new Config.Connections(Set.of(), max, perAddress, headerMs, fdReserve, 256);
  }

  private static String health(RawHttp raw) throws Exception {
    raw.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    String head = raw.readHead();
    return head + raw.readBody(head);
  }

  @Test
  void connectionsPastTheCapAreRefusedWith503UntilOneCloses() throws Exception {
    daemon = Daemon.start(TestDaemons.quiet(dir).withConnections(limits(3, 256, 10_000, 0)));
    int port = daemon.port();
    // One at a time, each admitted before the next opens: event loops admit in parallel.
    RawHttp a = new RawHttp(port, 0);
    assertTrue(health(a).startsWith("HTTP/1.1 200"));
    try (RawHttp b = new RawHttp(port, 0)) {
      assertTrue(health(b).startsWith("HTTP/1.1 200"));
      RawHttp c = new RawHttp(port, 0);
      assertTrue(health(c).startsWith("HTTP/1.1 200"));
      RawHttp d = new RawHttp(port, 0);
      String refused = d.readHead();
      assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
      assertTrue(d.readBody(refused).contains("\"code\":\"too_many_connections\""));
      a.close();
      String h = "";
      for (int i = 0; i < 50 && !h.startsWith("HTTP/1.1 200"); i++) {
        Thread.sleep(20); // until the daemon has seen the close
        try (RawHttp e = new RawHttp(port, 0)) {
          h = health(e);
        } catch (java.io.IOException refusedAgain) {
          h = "";
        }
      }
      assertTrue(h.startsWith("HTTP/1.1 200"), "admitted once a connection closed: " + h);
      assertTrue(h.contains("\"max_connections\":3"), h);
      c.close();
      d.close();
    }
  }

  @Test
  void connectionsPastTheCapFromOneAddressAreRefused() throws Exception {
    String lan = TestDaemons.lanAddress();
    Assumptions.assumeTrue(lan != null, "needs a non-loopback address to connect from");
    daemon =
        Daemon.start(
            TestDaemons.quiet(dir).withBind(lan).withConnections(limits(100, 2, 10_000, 0)));
    try (RawHttp a = new RawHttp(lan, daemon.port(), 0);
        RawHttp b = new RawHttp(lan, daemon.port(), 0)) {
      assertTrue(health(a).startsWith("HTTP/1.1 200"));
      assertTrue(health(b).startsWith("HTTP/1.1 200"));
      RawHttp c = new RawHttp(lan, daemon.port(), 0);
      String refused = c.readHead();
      assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
      assertTrue(c.readBody(refused).contains("max-connections-per-address"));
      c.close();
    }
  }

  @Test
  void headersTrickledPastTheDeadlineGet408AndTheConnectionCloses() throws Exception {
    daemon = Daemon.start(TestDaemons.quiet(dir).withConnections(limits(100, 100, 300, 0)));
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a");
      String head = raw.readHead(); // idle-seconds is 30 and the socket times out at 10 s
      assertTrue(head.startsWith("HTTP/1.1 408"), head);
      raw.readBody(head);
      assertEquals(0, raw.drainUntilClosed());
    }
  }

  @Test
  void connectionsThatWouldEatTheDescriptorReserveAreRefused() throws Exception {
    daemon =
        Daemon.start(TestDaemons.quiet(dir).withConnections(limits(100, 100, 10_000, 5_000_000)));
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      String head = raw.readHead();
      assertTrue(head.startsWith("HTTP/1.1 503"), head);
      assertTrue(raw.readBody(head).contains("--fd-reserve"));
    }
  }

  @Test
  void clientThatPingsAndNeverReadsIsClosedWith4002() throws Exception {
    daemon =
        TestDaemons.settled(TestDaemons.quiet(dir).withConnections(limits(100, 100, 10_000, 0)));
    try (RawHttp raw = new RawHttp(daemon.port(), 4096)) {
      assertTrue(raw.upgrade("/ws", null).startsWith("HTTP/1.1 101"));
      byte[] payload = new byte[125];
      try {
        for (int i = 0; i < 5_000; i++) {
          raw.writeFrame(0x89, payload); // ping: each answered by a 127-byte pong, never read
        }
      } catch (java.io.IOException closedByTheDaemon) {
        // expected once the daemon has cut the connection
      }
      awaitMetric(daemon.port(), "tonearm_ws_disconnects_total{reason=\"unread_replies\"} 1.0");
      raw.drainUntilClosed();
    }
  }

  private static void awaitMetric(int port, String line) throws Exception {
    String last = "";
    for (int i = 0; i < 200; i++) {
      last = TestDaemons.get(port, "/metrics").body();
      if (last.contains(line)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("metric never showed " + line);
  }
}
