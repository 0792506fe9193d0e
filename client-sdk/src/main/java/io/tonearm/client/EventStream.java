package io.tonearm.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.tonearm.client.internal.StreamRunner;
import io.tonearm.proto.v1.Command;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One resumable subscription to the daemon's event socket, made by {@link TonearmClient#events}. It
 * keeps the position (epoch and seq) of the last state event it delivered, and after any disconnect
 * reconnects with {@code resume=epoch:seq}, dropping anything it already delivered, so the listener
 * sees each state event once and in order.
 *
 * <p>Thread-safe: {@link #position()}, {@link #isConnected()} and {@link #close()} may be called
 * from any thread, including the listener's.
 */
public final class EventStream implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventStream.class);

  private final EventStreamOptions options;
  private StreamRunner runner;

  EventStream(EventStreamOptions options) {
    this.options = options;
  }

  void attach(StreamRunner r) {
    this.runner = r;
  }

  /** What this stream subscribes to. */
  public EventStreamOptions options() {
    return options;
  }

  /**
   * The position of the last state event or snapshot delivered, to save and pass to {@link
   * EventStreamOptions.Builder#resumeFrom} later; empty before the first hello.
   */
  public Optional<StreamPosition> position() {
    return Optional.ofNullable(runner.position());
  }

  /** True between a hello and the next disconnect. */
  public boolean isConnected() {
    return runner.connected();
  }

  /**
   * Measures the round trip to the daemon over this stream's socket: sends a {@code Ping} and
   * completes with the time until its {@code Pong} (on the event loop). Fails with {@link
   * UnreachableException} when the stream is not connected or the connection ends first, and with a
   * {@link java.util.concurrent.TimeoutException} after the client's connect timeout.
   */
  public CompletableFuture<Duration> ping() {
    return runner.ping();
  }

  /**
   * Runs a command of the daemon's command table on this stream's socket ({@code name} as in
   * docs/PROTOCOL.md, e.g. {@code "player.volume"}; {@code request} the message the HTTP route
   * takes as its body, or null; {@code params} the route's path and query parameters, e.g. {@code
   * "id"}). The future completes with the reply, after this stream has delivered every event up to
   * the reply's seq (the daemon sends the {@code Ack} after them), so the listener has already seen
   * the change. Fails with {@link ServerErrorException} (status 0) for a refusal and {@link
   * UnreachableException} when the stream is not connected or drops first; a command whose answer
   * was lost may or may not have been applied. Completes on the event loop.
   */
  public <T extends Message> CompletableFuture<T> command(
      String name, Message request, Map<String, String> params, Parser<T> replyParser) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(replyParser, "replyParser");
    Command.Builder c = Command.newBuilder().setName(name).putAllParams(params);
    if (request != null) {
      c.setRequest(Any.pack(request));
    }
    return runner
        .command(c.build())
        .thenApply(
            ack -> {
              try {
                return replyParser.parseFrom(ack.getReply().getValue());
              } catch (InvalidProtocolBufferException e) {
                throw new TonearmException("malformed reply to " + name, e);
              }
            });
  }

  /**
   * Stops the stream: closes the socket with 1000 and cancels any pending reconnect. The listener
   * then hears one last {@code onDisconnected} with {@code reconnectInMillis} -1. Idempotent.
   */
  @Override
  public void close() {
    runner.close();
  }

  /** Adapts the listener for the runner, isolating the stream from listener exceptions. */
  StreamRunner.Sink sink(EventListener l) {
    EventStream self = this;
    return new StreamRunner.Sink() {
      @Override
      public void connected(Hello hello) {
        guard(() -> l.onConnected(self, hello));
      }

      @Override
      public void snapshot(Envelope e) {
        guard(() -> l.onSnapshot(self, e));
      }

      @Override
      public void event(Envelope e) {
        guard(() -> l.onEvent(self, e));
      }

      @Override
      public void frame(Envelope e) {
        guard(() -> l.onFrame(self, e));
      }

      @Override
      public void control(Envelope e) {
        guard(() -> l.onControl(self, e));
      }

      @Override
      public void disconnected(int code, String reason, long reconnectInMillis) {
        guard(() -> l.onDisconnected(self, code, reason, reconnectInMillis));
      }
    };
  }

  private static void guard(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("event listener threw; the stream goes on", e);
    }
  }
}
