package io.tonearm.client;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.tonearm.proto.v1.Hello;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The socket a client in socket mode sends its player, queue and outputs commands on: one event
 * stream (topics {@code player}, {@code queue}, {@code outputs}, so each Ack follows the events it
 * caused) opened on first use, reconnecting by itself. Thread-safe.
 */
final class CommandSocket {

  private final Function<EventListener, EventStream> open;
  private final Duration timeout;
  private final CompletableFuture<EventStream> firstHello = new CompletableFuture<>();
  private EventStream stream;

  CommandSocket(Function<EventListener, EventStream> open, Duration timeout) {
    this.open = open;
    this.timeout = timeout;
  }

  <T extends Message> CompletableFuture<T> command(
      String name, Message body, Map<String, String> params, Parser<T> parser) {
    return connected()
        .thenCompose(s -> s.command(name, body, params, parser))
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            t -> {
              Throwable c =
                  t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
              return CompletableFuture.failedFuture(
                  c instanceof java.util.concurrent.TimeoutException
                      ? new UnreachableException(
                          "no answer to " + name + " within " + timeout.toMillis() + " ms", c)
                      : c);
            });
  }

  private synchronized CompletableFuture<EventStream> connected() {
    if (stream == null) {
      stream =
          open.apply(
              new EventListener() {
                @Override
                public void onConnected(EventStream s, Hello h) {
                  firstHello.complete(s);
                }
              });
    }
    return firstHello;
  }

  synchronized void close() {
    if (stream != null) {
      stream.close();
    }
  }
}
