package io.tonearm.daemon.events;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the origin's events go beyond its own sockets (the relays' Redis streams), for the few
 * replies that must not overtake their event there: a zone's creation is answered once a relay can
 * read it, so a client told "made" is not told "no such zone" by a relay next.
 */
@FunctionalInterface
public interface Outbound {

  /**
   * Completes with true once the event of {@code seq}, and every one before it, is out; with false
   * when that could not be confirmed within the implementation's bound (stated there). Never
   * completes exceptionally. Any thread; does not block; completed on any thread, so callers must
   * only schedule work.
   */
  CompletionStage<Boolean> reached(long seq);

  /** No relays: an event is out once published. */
  Outbound NONE = seq -> CompletableFuture.completedFuture(true);
}
