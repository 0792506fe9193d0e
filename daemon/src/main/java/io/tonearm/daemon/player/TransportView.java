package io.tonearm.daemon.player;

import io.tonearm.proto.v1.FrameView;

/** The rules of a {@code transport} frame view, for whoever checks one (the player, a relay). */
public final class TransportView {

  private TransportView() {}

  /**
   * Fills in the default fps and checks it.
   *
   * @throws IllegalArgumentException when fps is outside 1-120
   */
  public static FrameView normalize(FrameView requested, int defaultFps) {
    int fps = requested.getFps() == 0 ? defaultFps : requested.getFps();
    if (fps < 1 || fps > 120) {
      throw new IllegalArgumentException("transport fps must be 1 to 120, got " + fps);
    }
    return requested.toBuilder().setTopic("transport").setFps(fps).build();
  }
}
