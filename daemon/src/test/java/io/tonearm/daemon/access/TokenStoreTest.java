package io.tonearm.daemon.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.errors.DomainException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

  @TempDir Path dir;

  private TokenStore open() throws Exception {
    return TokenStore.open(dir, z -> z.equals("default"));
  }

  @Test
  void theFirstUseNotedAfterAWriteCallsTheHookOnce() throws Exception {
    TokenStore s = open();
    int[] calls = {0};
    s.onDirty(() -> calls[0]++);
    TokenStore.Created c = s.create("phone", List.of("read"), List.of("default"), 0, 1000);
    assertEquals(0, calls[0], "a token made is written at once");
    s.touch(c.token(), 125_000);
    assertEquals(1, calls[0]);
    s.touch(c.token(), 130_000); // the same minute: nothing new
    s.touch(c.token(), 185_000); // a new minute, not yet written
    assertEquals(1, calls[0], "one call until the write");
    s.flush();
    s.touch(c.token(), 185_000);
    assertEquals(1, calls[0], "nothing new to write");
    s.touch(c.token(), 245_000);
    assertEquals(2, calls[0], "the first change after the write");
    s.flush();
    assertEquals(240_000, open().find(c.secret()).orElseThrow().lastUsedMs());
  }

  @Test
  void aTokenIsFoundByItsSecretAndSurvivesARestart() throws Exception {
    TokenStore s = open();
    TokenStore.Created c =
        s.create("phone", List.of("read", "control"), List.of("default"), 0, 1000);
    assertTrue(TokenSecrets.wellFormed(c.secret()));
    assertEquals(c.token().id(), s.find(c.secret()).orElseThrow().id());
    s.touch(c.token(), 125_000);
    s.flush();
    TokenStore again = open();
    StoredToken t = again.find(c.secret()).orElseThrow();
    assertEquals("phone", t.name());
    assertEquals(Set.of(Scope.READ, Scope.CONTROL), t.scopes());
    assertEquals(Set.of("default"), t.zones());
    assertEquals(120_000, t.lastUsedMs(), "kept to the minute");
    assertFalse(again.find(TokenSecrets.newSecret()).isPresent());
    assertFalse(
        new String(Files.readAllBytes(dir.resolve("tokens.bin")), "ISO-8859-1")
            .contains(c.secret().substring(5)));
  }

  @Test
  void anotherInstallsKeyDoesNotMatch() throws Exception {
    TokenStore.Created c = open().create("x", List.of("read"), List.of(), 0, 0);
    Files.delete(dir.resolve("token.key"));
    assertFalse(open().find(c.secret()).isPresent(), "the hash is keyed per install");
  }

  @Test
  void revokedTokensAreKeptAsRevoked() throws Exception {
    TokenStore s = open();
    TokenStore.Created c = s.create("x", List.of("read"), List.of(), 0, 0);
    s.revoke(c.token().id(), 5000);
    assertEquals(5000, open().find(c.secret()).orElseThrow().revokedMs());
    assertEquals(
        5000, s.revoke(c.token().id(), 9000).revokedMs(), "revoking again changes nothing");
    assertTrue(s.noneValid());
  }

  @Test
  void badInputGetsItsOwnCodeAndMakesNothing() throws Exception {
    TokenStore s = open();
    assertEquals("bad_name", code(() -> s.create("", List.of("read"), List.of(), 0, 0)));
    assertEquals("bad_name", code(() -> s.create("a/b", List.of("read"), List.of(), 0, 0)));
    assertEquals("no_scope", code(() -> s.create("a", List.of(), List.of(), 0, 0)));
    assertEquals("unknown_scope", code(() -> s.create("a", List.of("root"), List.of(), 0, 0)));
    assertEquals("zone_not_found", code(() -> s.create("a", List.of("read"), List.of("b"), 0, 0)));
    assertEquals("out_of_range", code(() -> s.create("a", List.of("read"), List.of(), 59, 0)));
    assertEquals("not_found", code(() -> s.revoke("0000000000000000", 0)));
    assertTrue(s.list().isEmpty());
  }

  private interface Action {
    void run() throws Exception;
  }

  private static String code(Action a) {
    return assertThrows(DomainException.class, a::run).code();
  }
}
