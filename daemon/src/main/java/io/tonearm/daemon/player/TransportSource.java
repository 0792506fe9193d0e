package io.tonearm.daemon.player;

import io.tonearm.daemon.audio.PlaybackClock;
import io.tonearm.daemon.events.FrameSource;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.Position;
import io.tonearm.proto.v1.TransportFrame;

/**
 * Frames of topic "transport": the position model read from the output clock at each tick, while
 * playing (nothing while stopped or paused: the last PlayerChanged already says where it holds).
 */
final class TransportSource implements FrameSource {

  /** What the player thread last published about the current item. */
  record Now(String itemId, long durationMs, boolean playing) {}

  static final Now IDLE = new Now("", 0, false);

  private final PlaybackClock clock;
  private final int defaultFps;
  private volatile Now now = IDLE;

  TransportSource(PlaybackClock clock, int defaultFps) {
    this.clock = clock;
    this.defaultFps = defaultFps;
  }

  /** Player thread: the state changed. */
  void update(Now n) {
    now = n;
  }

  @Override
  public FrameView normalize(FrameView requested) {
    return TransportView.normalize(requested, defaultFps);
  }

  @Override
  public Envelope.Builder render(FrameView view, long nowMicros) {
    Now n = now;
    if (!n.playing()) {
      return null;
    }
    PlaybackClock.Position p = clock.now();
    long micros = p.micros();
    if (n.durationMs() > 0) {
      micros = Math.min(micros, n.durationMs() * 1000);
    }
    return Envelope.newBuilder()
        .setTransport(
            TransportFrame.newBuilder()
                .setItemId(n.itemId())
                .setPosition(
                    Position.newBuilder()
                        .setPositionUs(micros)
                        .setServerTimeUs(p.atMicros())
                        .setRate(1.0))
                .setDurationMs(n.durationMs())
                .setFramesPlayed(clock.framesPlayed())
                .setLatencyUs(clock.latencyMicros()));
  }
}
