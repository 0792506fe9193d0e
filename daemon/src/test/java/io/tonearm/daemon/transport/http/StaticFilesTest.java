package io.tonearm.daemon.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StaticFilesTest {

  @Test
  void servesTheBuiltPageAtTheRoot() {
    StaticFiles files = new StaticFiles();
    StaticFiles.File index = files.get("/").orElseThrow();
    assertEquals("text/html; charset=utf-8", index.contentType());
    assertTrue(
        new String(index.body(), java.nio.charset.StandardCharsets.UTF_8)
            .contains("<title>Tonearm"));
  }

  @Test
  void namesThatAreNotFilesAreNotKept() {
    StaticFiles files = new StaticFiles();
    for (int i = 0; i < 1000; i++) {
      assertFalse(files.get("/no-such-file-" + i + ".js").isPresent());
    }
    assertEquals(0, files.cached(), "a miss must not grow the cache");
    files.get("/");
    files.get("/");
    assertEquals(1, files.cached());
  }

  @Test
  void onlyTheHashedAssetsAreImmutable() {
    assertTrue(StaticFiles.immutable("/assets/index-B2_hEN_t.js"));
    assertFalse(StaticFiles.immutable("/"));
    assertFalse(StaticFiles.immutable("/index.html"));
  }
}
