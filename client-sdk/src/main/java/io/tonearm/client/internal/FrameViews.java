package io.tonearm.client.internal;

import io.tonearm.client.FrameViewRequest;
import io.tonearm.proto.v1.FrameView;

/** A {@link FrameViewRequest} as the daemon takes it in a {@code Subscribe}. */
final class FrameViews {

  private FrameViews() {}

  static FrameView toProto(FrameViewRequest v) {
    FrameView.Builder b = v.view() == null ? FrameView.newBuilder() : v.view().toBuilder();
    return b.setTopic(v.topic()).setFps(v.fps()).build();
  }
}
