package io.tonearm.daemon.transport.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

  @Test
  void loopbackOriginsAndNoOriginAreAllowed() {
    OriginPolicy p = new OriginPolicy(Set.of());
    assertTrue(p.allows(null));
    assertTrue(p.allows("http://localhost:5173"));
    assertTrue(p.allows("http://127.0.0.1"));
    assertTrue(p.allows("https://[::1]:8443"));
  }

  @Test
  void foreignAndLookalikeOriginsAreRefused() {
    OriginPolicy p = new OriginPolicy(Set.of());
    assertFalse(p.allows("http://evil.example"));
    assertFalse(p.allows("http://localhost.evil.example"));
    assertFalse(p.allows("file://localhost"));
    assertFalse(p.allows("null"));
    assertFalse(p.allows("::not a uri::"));
  }

  @Test
  void configuredOriginsAreAllowedExactly() {
    OriginPolicy p = new OriginPolicy(Set.of("https://viz.example:8080"));
    assertTrue(p.allows("https://viz.example:8080"));
    assertFalse(p.allows("https://viz.example"));
  }

  @Test
  void aPageOfTheDaemonItselfIsAllowedOnAnyAddress() {
    OriginPolicy p = new OriginPolicy(Set.of());
    assertTrue(p.allows("http://192.168.1.20:7700", "192.168.1.20:7700"));
    assertTrue(p.allows("http://tonearm.lan", "tonearm.lan:80"));
    assertTrue(p.allows("http://[fe80::1]:7700", "[FE80::1]:7700"));
    assertTrue(p.allows("https://tonearm.lan", "tonearm.lan:443"));
  }

  @Test
  void anotherPortOrAnotherHostIsAnotherOrigin() {
    OriginPolicy p = new OriginPolicy(Set.of());
    assertFalse(p.allows("http://192.168.1.20:8080", "192.168.1.20:7700"));
    assertFalse(p.allows("http://192.168.1.21:7700", "192.168.1.20:7700"));
    assertFalse(p.allows("http://tonearm.lan", "tonearm.lan:7700"));
    assertFalse(p.allows("http://192.168.1.20:7700", null));
  }
}
