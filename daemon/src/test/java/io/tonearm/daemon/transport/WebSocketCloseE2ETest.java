package io.tonearm.daemon.transport;

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

/** Close codes the daemon sends for what a client does wrong (RFC 6455 section 7.4). */
class WebSocketCloseE2ETest {

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

  private static RawHttp open() throws Exception {
    RawHttp raw = new RawHttp(daemon.port(), 0);
    assertTrue(raw.upgrade("/ws", null).startsWith("HTTP/1.1 101"));
    raw.readFrame(); // the hello
    return raw;
  }

  /** The code of the close frame the daemon sends next (frames before it are skipped). */
  private static int closeCode(RawHttp raw) throws Exception {
    while (true) {
      byte[] f = raw.readFrame();
      if ((f[0] & 0x0F) == 0x8) {
        return f.length < 4 ? 1005 : ((f[2] & 0xFF) << 8) | (f[3] & 0xFF);
      }
    }
  }

  private static byte[] close(int code, byte... reason) {
    byte[] b = new byte[2 + reason.length];
    b[0] = (byte) (code >> 8);
    b[1] = (byte) code;
    System.arraycopy(reason, 0, b, 2, reason.length);
    return b;
  }

  @Test
  void aClientStillSendingAfterTheDaemonsCloseFrameStillReadsItsCode() throws Exception {
    // RFC 6455 section 7.1.1: the server that closes shuts its sending half and reads on. Closing
    // both halves at once answers the client's in-flight frames with a reset, and the reset makes
    // the client's TCP drop the close frame it had not read yet: it saw an error, not the code.
    assertEquals(
        201, TestDaemons.post(daemon.port(), "/api/v1/zones", "{\"id\":\"late\"}").statusCode());
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      assertTrue(raw.upgrade("/ws?zone=late", null).startsWith("HTTP/1.1 101"));
      raw.readFrame(); // the hello
      java.net.http.HttpResponse<String> removed =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              "http://127.0.0.1:" + daemon.port() + "/api/v1/zones/late"))
                      .DELETE()
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, removed.statusCode(), removed.body());
      Thread.sleep(300); // the daemon's close frame (4004) is here, unread
      for (int i = 0; i < 20; i++) {
        raw.writeFrame(0x81, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      Thread.sleep(300); // a reset, had the daemon closed both halves, would be here by now
      assertEquals(4004, closeCode(raw), "the close frame survives the client's late frames");
    }
  }

  @Test
  void aClientStillSendingAfterAProtocolErrorStillReadsTheCode() throws Exception {
    try (RawHttp raw = open()) {
      raw.writeFrame(0x88, new byte[] {3}); // a one-byte close payload: 1002
      Thread.sleep(300);
      for (int i = 0; i < 20; i++) {
        raw.writeFrame(0x81, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      Thread.sleep(300);
      assertEquals(1002, closeCode(raw), "the close frame survives the client's late frames");
    }
  }

  @Test
  void fragmentedMessageOverTheLimitClosesWith1009() throws Exception {
    try (RawHttp raw = open()) {
      raw.writeFrame(0x01, new byte[40 << 10]); // text, not final: 40 KiB
      raw.writeFrame(0x80, new byte[40 << 10]); // final continuation: 80 KiB in all
      assertEquals(1009, closeCode(raw));
    }
  }

  @Test
  void invalidCloseCodesGet1002() throws Exception {
    for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000}) {
      try (RawHttp raw = open()) {
        raw.writeFrame(0x88, close(code));
        assertEquals(1002, closeCode(raw), "close code " + code);
      }
    }
  }

  @Test
  void closeReasonThatIsNotUtf8Gets1002() throws Exception {
    try (RawHttp raw = open()) {
      raw.writeFrame(0x88, close(1000, (byte) 0xC3, (byte) 0x28));
      assertEquals(1002, closeCode(raw));
    }
  }

  @Test
  void oneByteClosePayloadGets1002() throws Exception {
    try (RawHttp raw = open()) {
      raw.writeFrame(0x88, new byte[] {3});
      assertEquals(1002, closeCode(raw));
    }
  }

  @Test
  void validCloseIsEchoed() throws Exception {
    for (int code : new int[] {1000, 1001, 3000, 4999}) {
      try (RawHttp raw = open()) {
        raw.writeFrame(0x88, close(code, "bye".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(code, closeCode(raw), "close code " + code);
      }
    }
    try (RawHttp raw = open()) {
      raw.writeFrame(0x88, new byte[0]);
      assertEquals(1005, closeCode(raw), "an empty close is answered with an empty close");
    }
  }
}
