package io.tonearm.daemon.errors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs a domain's command on that domain's own thread, holding the domain's lock, and answers a
 * command that arrives after the thread was shut down with {@code unavailable} rather than an
 * exception from the caller's thread. Shared by the settings, mixer and lyrics domains.
 */
public final class DomainThread {
  private DomainThread() {}

  /**
   * Runs {@code command} on {@code thread} inside {@code synchronized (lock)}; the stage completes
   * with its result or its exception, or fails with {@link DomainException.Kind#UNAVAILABLE} when
   * the thread no longer takes tasks.
   */
  public static <T> CompletionStage<T> run(Executor thread, Object lock, Supplier<T> command) {
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            synchronized (lock) {
              return command.get();
            }
          },
          thread);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new DomainException(
              DomainException.Kind.UNAVAILABLE, "unavailable", "the daemon is shutting down"));
    }
  }
}
