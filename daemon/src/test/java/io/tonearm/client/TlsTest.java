package io.tonearm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.testing.RawHttp;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.proto.v1.PlayerReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon serving HTTPS and WSS on its one port (the test certificate in {@code
 * src/test/resources/tls}), driven through the Java SDK trusting that certificate, with a token and
 * loopback trust off; a client that does not trust it, and plain HTTP, get nothing.
 */
class TlsTest {

  private static final Path CERT = Path.of("src/test/resources/tls/localhost-cert.pem");
  private static final Path KEY = Path.of("src/test/resources/tls/localhost-key.pem");

  @TempDir Path dir;
  private Daemon daemon;
  private String token;

  @BeforeEach
  void start() throws Exception {
    daemon =
        Daemon.start(
            TestDaemons.quiet(dir)
                .withSecurity(
                    Config.Security.defaults().withTrustLoopback(false).withTls(CERT, KEY)));
    token = Files.readString(dir.resolve("admin.token")).trim();
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  @Test
  void httpsCallsAndAWssStreamThroughTheSdk() throws Exception {
    try (TonearmClient c =
        TonearmClient.builder()
            .port(daemon.port())
            .trustCertificate(CERT)
            .token(token)
            .callTimeout(Duration.ofSeconds(20))
            .build()) {
      assertEquals("https", c.baseUri().getScheme());
      PlayerReply r = c.player().volume(33).execute();
      assertEquals(33, r.getState().getVolume());
      Recorder rec = new Recorder();
      try (EventStream s = c.events(EventStreamOptions.builder().topics("player").build(), rec)) {
        rec.next(Recorder.Connected.class);
        rec.next(Recorder.Snapshot.class);
        long seq = c.player().volume(44).execute().getSeq();
        Recorder.Event e = rec.until(Recorder.Event.class);
        assertEquals(seq, e.envelope().getSeq());
        assertEquals(44, e.envelope().getPlayer().getState().getVolume());
      }
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateAndPlainHttpGetNothing() throws Exception {
    try (TonearmClient c =
        TonearmClient.builder()
            .baseUri(java.net.URI.create("https://127.0.0.1:" + daemon.port()))
            .token(token)
            .build()) {
      assertThrows(TonearmException.class, () -> c.player().state().execute());
    }
    try (RawHttp raw = new RawHttp(daemon.port(), 0)) {
      raw.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertTrue(raw.drainUntilClosed() >= 0, "plain HTTP on the TLS port is not answered");
    }
  }
}
