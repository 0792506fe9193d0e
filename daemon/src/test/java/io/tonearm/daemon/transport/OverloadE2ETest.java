package io.tonearm.daemon.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.RawHttp;
import io.tonearm.daemon.testing.TestDaemons;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
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
}
