package io.tonearm.client;

import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;

/**
 * Receives what an {@link EventStream} delivers. Override the methods you need; the others do
 * nothing.
 *
 * <p><b>Threading:</b> every method is called on the client's event loop thread that owns the
 * stream, one call at a time and in the order the daemon sent things. Methods must not block: hand
 * long work to your own executor. An exception thrown by a method is caught and logged; it does not
 * close the stream.
 *
 * <p><b>Order of calls on each connection:</b> {@link #onConnected}; then either the replay of
 * missed events through {@link #onEvent} (when {@code hello.getRecovered()} is true) or one {@link
 * #onSnapshot} per subscribed state topic that has state (when it is false: discard what you had
 * and rebuild from the snapshots); then live {@link #onEvent} and {@link #onFrame} calls; finally
 * {@link #onDisconnected}. No argument is ever null.
 */
public abstract class EventListener {

  /**
   * The daemon greeted a new connection. When {@code hello.getRecovered()} is false, the snapshots
   * that follow replace all state the application holds for the subscribed topics (the daemon
   * restarted, or too much was missed to replay).
   */
  public void onConnected(EventStream stream, Hello hello) {}

  /**
   * The whole current state of one state topic (for example a {@code PlayerChanged} with cause
   * {@code CAUSE_SNAPSHOT}), stamped with the seq it is current as of. Not an event: reset to it.
   */
  public void onSnapshot(EventStream stream, Envelope snapshot) {}

  /**
   * A state-lane event, delivered exactly once per epoch and in increasing seq order (seqs may skip
   * events of topics this stream does not subscribe to).
   */
  public void onEvent(EventStream stream, Envelope event) {}

  /** A frame-lane message (seq 0, {@code stream} set). Frames may be dropped; never replayed. */
  public void onFrame(EventStream stream, Envelope frame) {}

  /** An {@code Ack} or {@code Error} answering a control message, or an unsolicited error. */
  public void onControl(EventStream stream, Envelope control) {}

  /**
   * The connection ended, or could not be made.
   *
   * @param closeCode the WebSocket close code the daemon sent (1001 shutdown, 4000 slow consumer,
   *     4001 pong timeout...), or 1006 when the connection failed or dropped without one
   * @param reason the close reason or the failure's message; may be empty
   * @param reconnectInMillis the delay before the next attempt, or -1 when the stream will not
   *     reconnect (it was closed, or the daemon refused the request as malformed)
   */
  public void onDisconnected(
      EventStream stream, int closeCode, String reason, long reconnectInMillis) {}
}
