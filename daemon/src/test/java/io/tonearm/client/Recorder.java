package io.tonearm.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that queues every callback, for tests to take in order with a generous timeout. */
final class Recorder extends EventListener {

  /** One callback. */
  sealed interface Call permits Connected, Snapshot, Event, Frame, Control, Disconnected {}

  record Connected(Hello hello) implements Call {}

  record Snapshot(Envelope envelope) implements Call {}

  record Event(Envelope envelope) implements Call {}

  record Frame(Envelope envelope) implements Call {}

  record Control(Envelope envelope) implements Call {}

  record Disconnected(int code, String reason, long reconnectInMillis) implements Call {}

  private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  private final boolean keepFrames;

  Recorder(boolean keepFrames) {
    this.keepFrames = keepFrames;
  }

  Recorder() {
    this(false);
  }

  @Override
  public void onConnected(EventStream s, Hello hello) {
    calls.add(new Connected(hello));
  }

  @Override
  public void onSnapshot(EventStream s, Envelope e) {
    calls.add(new Snapshot(e));
  }

  @Override
  public void onEvent(EventStream s, Envelope e) {
    calls.add(new Event(e));
  }

  @Override
  public void onFrame(EventStream s, Envelope e) {
    if (keepFrames) {
      calls.add(new Frame(e));
    }
  }

  @Override
  public void onControl(EventStream s, Envelope e) {
    calls.add(new Control(e));
  }

  @Override
  public void onDisconnected(EventStream s, int code, String reason, long reconnectInMillis) {
    calls.add(new Disconnected(code, reason, reconnectInMillis));
  }

  /** The next callback, which must be of {@code type}; fails after 20 s. */
  <T extends Call> T next(Class<T> type) throws InterruptedException {
    Call c = calls.poll(20, TimeUnit.SECONDS);
    assertNotNull(c, "no " + type.getSimpleName() + " within 20 s");
    if (!type.isInstance(c)) {
      throw new AssertionError("expected " + type.getSimpleName() + " but got " + c);
    }
    return type.cast(c);
  }

  /** Skips callbacks until one of {@code type}; fails after 20 s. */
  <T extends Call> T until(Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      Call c = calls.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertNotNull(c, "no " + type.getSimpleName() + " within 20 s");
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
  }

  /** Nothing is queued right now. */
  boolean idle() {
    return calls.isEmpty();
  }
}
