package io.tonearm.daemon.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostNamesTest {

  @Test
  void loopbackBindAnswersToLoopbackNamesAndAddresses() {
    HostNames h = HostNames.forBind("127.0.0.1", Set.of());
    assertTrue(h.allows("localhost:7700"));
    assertTrue(h.allows("LOCALHOST."));
    assertTrue(h.allows("127.0.0.1:7700"));
    assertTrue(h.allows("[::1]:7700"));
    assertTrue(h.allows(null), "no Host header: not a browser");
    assertFalse(h.allows("evil.example:7700"));
    assertFalse(h.allows("localhost.evil.example"));
  }

  @Test
  void addressBindAnswersToItsAddressAndAllowedNames() {
    HostNames h = HostNames.forBind("192.168.1.20", Set.of("tonearm.lan"));
    assertTrue(h.allows("192.168.1.20:7700"));
    assertTrue(h.allows("tonearm.lan"));
    assertTrue(h.allows("Tonearm.LAN:7700"));
    assertFalse(h.allows("attacker.example"));
    assertFalse(h.allows("localhost"), "a LAN bind is not reached as localhost");
  }

  @Test
  void wildcardBindAnswersToTheMachineName() throws Exception {
    HostNames h = HostNames.forBind("0.0.0.0", Set.of());
    String name = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    assertTrue(h.allows(name + ":7700"));
    assertTrue(h.allows("localhost"));
    assertTrue(h.allows("10.0.0.7"));
    assertFalse(h.allows("rebound.attacker.example"));
  }

  @Test
  void ipLiteralsAreRecognisedStrictly() {
    assertTrue(HostNames.isIpLiteral("10.1.2.3"));
    assertTrue(HostNames.isIpLiteral("[fe80::1]"));
    assertFalse(HostNames.isIpLiteral("10.1.2.300"));
    assertFalse(HostNames.isIpLiteral("1.2.3.4.evil.example"));
    assertFalse(HostNames.isIpLiteral("[evil]"));
  }

  @Test
  void authorityParsesHostAndPort() {
    assertEquals(new HostNames.Authority("[::1]", 7700), HostNames.Authority.parse("[::1]:7700"));
    assertEquals(new HostNames.Authority("a.b", -1), HostNames.Authority.parse("A.B"));
    assertEquals(new HostNames.Authority("a.b", 80), HostNames.Authority.parse("a.b:80"));
  }
}
