package io.tonearm.client;

import java.util.Objects;

/**
 * A frame-lane subscription: a frame topic (for example {@code "transport"}) at a rate. Immutable.
 *
 * @param topic the frame topic's wire name; never null
 * @param fps frames per second, 1 to 120, or 0 for the topic's default
 */
public record FrameViewRequest(String topic, int fps) {

  /** Highest rate the daemon serves. */
  public static final int MAX_FPS = 120;

  public FrameViewRequest {
    Objects.requireNonNull(topic, "topic");
    if (topic.isBlank()) {
      throw new IllegalArgumentException("topic must not be blank");
    }
    if (fps < 0 || fps > MAX_FPS) {
      throw new IllegalArgumentException("fps must be 0 to " + MAX_FPS + ", got " + fps);
    }
  }
}
