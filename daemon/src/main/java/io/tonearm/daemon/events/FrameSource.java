package io.tonearm.daemon.events;

import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;

/**
 * Produces the frames of one frame topic. The hub pulls: on each tick of a stream that has at least
 * one subscriber it calls {@link #render} once, encodes the result once, and writes it to every
 * subscriber of that stream. Views that nobody watches cost nothing.
 *
 * <p>Called by the hub's frame ticker, one call at a time: on its thread, or on the client event
 * loop it ticks on while the views are cheap (each tick sees what the ticks before it wrote,
 * wherever they ran). Must not block and should not allocate per call beyond the frame itself.
 */
public interface FrameSource {

  /**
   * Checks a requested view and fills in defaults. Two views that normalize to equal values share
   * one stream.
   *
   * @throws IllegalArgumentException with a message naming the limit, when the view is invalid
   */
  FrameView normalize(FrameView requested);

  /**
   * Renders the frame for {@code view} at {@code nowMicros} (server wall clock, microseconds since
   * the Unix epoch), or returns null when there is nothing new to send (for example while stopped).
   */
  Envelope.Builder render(FrameView view, long nowMicros);

  /** The smallest cost of one frame: what building, encoding and sending a small frame costs. */
  long MIN_FRAME_COST = 1024;

  /**
   * What one frame of the normalized {@code view} costs to render, in audio samples read and
   * transformed (for example the FFT size of a spectrum), at least {@link #MIN_FRAME_COST}; times
   * the view's fps it is the stream's share of the daemon's render budget. Any thread; pure.
   */
  default long frameCost(FrameView view) {
    return MIN_FRAME_COST;
  }
}
