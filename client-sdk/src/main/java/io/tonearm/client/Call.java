package io.tonearm.client;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * One typed request to the daemon, ready to send, blocking ({@link #execute()}) or asynchronously
 * ({@link #async()}). Made by the call groups of {@link TonearmClient} ({@code client.player()},
 * {@code client.queue()}...), which check their arguments when the call is made, before anything is
 * sent. Immutable and thread-safe: every {@code execute()} or {@code async()} sends the request
 * again.
 *
 * @param <T> what the daemon answers: a {@code tonearm.v1} message, or bytes for files
 */
public final class Call<T> {

  private final Supplier<CompletableFuture<T>> send;

  Call(Supplier<CompletableFuture<T>> send) {
    this.send = Objects.requireNonNull(send);
  }

  /**
   * Sends the request and waits for the answer, at most the client's call timeout.
   *
   * @throws ServerErrorException when the daemon answered with an error
   * @throws UnreachableException when no answer came in time
   * @throws TonearmException when the answer could not be read
   */
  public T execute() {
    try {
      return send.get().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TonearmException("interrupted while waiting for the daemon", e);
    } catch (ExecutionException | CompletionException e) {
      throw rethrow(e.getCause());
    } catch (CancellationException e) {
      throw new TonearmException("call cancelled", e);
    }
  }

  /**
   * Sends the request; the future completes with the answer or exceptionally with a {@link
   * TonearmException}. Completion happens on an HTTP client thread (or the socket's event loop):
   * dependent stages must not block there; use the {@code *Async} variants with your executor for
   * long work.
   */
  public CompletableFuture<T> async() {
    return send.get();
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof TonearmException t) {
      return t;
    }
    return new TonearmException(String.valueOf(cause), cause);
  }
}
