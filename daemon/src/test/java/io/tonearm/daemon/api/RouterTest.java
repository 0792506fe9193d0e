package io.tonearm.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouterTest {

  private final ApiHandler h = r -> CompletableFuture.completedFuture(null);
  private final Router router =
      new Router().get("/api/v1/player", h).post("/api/v1/playlists/{id}/tracks/{index}", h);

  @Test
  void matchesLiteralAndParameterSegments() {
    assertTrue(router.match("GET", "/api/v1/player").isPresent());
    Router.Match m = router.match("POST", "/api/v1/playlists/p7/tracks/3").orElseThrow();
    assertEquals("p7", m.params().get("id"));
    assertEquals("3", m.params().get("index"));
    assertEquals("POST /api/v1/playlists/{id}/tracks/{index}", m.pattern());
  }

  @Test
  void methodAndShapeMustMatch() {
    assertFalse(router.match("POST", "/api/v1/player").isPresent());
    assertFalse(router.allowed("/api/v1/player").isEmpty());
    assertFalse(router.match("GET", "/api/v1/player/extra").isPresent());
    assertTrue(router.allowed("/api/v1/nothing").isEmpty());
  }
}
