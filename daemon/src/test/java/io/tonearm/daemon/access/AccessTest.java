package io.tonearm.daemon.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.errors.DomainException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTest {

  @TempDir Path dir;
  private final AtomicLong nanos = new AtomicLong(1);

  private Access access(boolean trustLoopback) throws Exception {
    return new Access(
        TokenStore.open(dir, z -> true),
        Config.Security.defaults().withTrustLoopback(trustLoopback),
        new AuditLog(),
        nanos::get,
        () -> 1_000_000);
  }

  @Test
  void loopbackIsTrustedOnlyWithoutCredentialsAndOnlyWhenAllowed() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    InetAddress lan = InetAddress.getByName("192.0.2.1");
    Access a = access(true);
    assertEquals(Principal.LOOPBACK, a.authenticate(Access.Credentials.NONE, lo));
    assertEquals("token_missing", code(a, Access.Credentials.NONE, lan));
    assertEquals(
        "token_malformed", code(a, new Access.Credentials("Bearer x", null, null, null), lo));
    assertEquals("token_missing", code(access(false), Access.Credentials.NONE, lo));
  }

  @Test
  void tenThousandFailuresFromOneAddressAreBoundedAndCheckedOnlyUpToTheBurst() throws Exception {
    Access a = access(false);
    InetAddress from = InetAddress.getByName("192.0.2.9");
    Access.Credentials bad =
        new Access.Credentials("Bearer tnrm_" + "B".repeat(43), null, null, null);
    int unknown = 0;
    int limited = 0;
    for (int i = 0; i < 10_000; i++) {
      String c = code(a, bad, from);
      if (c.equals("token_unknown")) {
        unknown++;
      } else if (c.equals("too_many_auth_failures")) {
        limited++;
      }
    }
    assertEquals(20, unknown, "the burst, each checked and logged");
    assertEquals(9_980, limited, "the rest refused before any hash is computed");
    assertEquals(9_980, a.limitedAuth());
    assertEquals(1, a.failureAddresses());
    nanos.addAndGet(6_000_000_000L); // 10 a minute: one more after 6 s
    assertEquals("token_unknown", code(a, bad, from));
    assertEquals("too_many_auth_failures", code(a, bad, from));
    TokenStore.Created good = a.tokens().create("ok", List.of("read"), List.of(), 0, 0);
    assertEquals(
        "too_many_auth_failures",
        code(a, new Access.Credentials("Bearer " + good.secret(), null, null, null), from),
        "a limited address is refused even with a good token until it recovers");
    assertEquals(
        good.token().id(),
        a.authenticate(
                new Access.Credentials("Bearer " + good.secret(), null, null, null),
                InetAddress.getByName("192.0.2.10"))
            .tokenId(),
        "other addresses are not affected");
  }

  private static String code(Access a, Access.Credentials c, InetAddress from) {
    return assertThrows(DomainException.class, () -> a.authenticate(c, from)).code();
  }
}
