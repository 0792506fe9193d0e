package io.tonearm.bench;

import io.tonearm.daemon.events.FrameSource;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.Position;
import io.tonearm.proto.v1.TransportFrame;

/**
 * A bench-only transport frame source: a frame of about {@code bytes} encoded bytes per tick (the
 * size of a spectrum frame), padded through the item id, so that fan-out is measured without the
 * player or the analysis stages.
 */
final class SyntheticFrames implements FrameSource {

  private final int defaultFps;
  private final String padding;
  private long frames;

  SyntheticFrames(int defaultFps, int bytes) {
    this.defaultFps = defaultFps;
    // ~60 bytes of envelope and other fields; the rest is the padded id.
    this.padding = "x".repeat(Math.max(1, bytes - 60));
  }

  @Override
  public FrameView normalize(FrameView requested) {
    return requested.getFps() == 0 ? requested.toBuilder().setFps(defaultFps).build() : requested;
  }

  @Override
  public Envelope.Builder render(FrameView view, long nowMicros) {
    frames++;
    return Envelope.newBuilder()
        .setTransport(
            TransportFrame.newBuilder()
                .setItemId(padding)
                .setPosition(
                    Position.newBuilder()
                        .setPositionUs(frames * 1_000_000L / view.getFps())
                        .setServerTimeUs(nowMicros)
                        .setRate(1.0))
                .setDurationMs(180_000)
                .setFramesPlayed(frames * 44_100 / view.getFps())
                .setLatencyUs(20_000));
  }
}
