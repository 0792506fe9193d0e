package io.tonearm.daemon.audio;

import io.tonearm.daemon.output.Output;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where playback is, read from the clock output: the anchor says which output frame carried which
 * frame of which play, and the output's played-frame counter does the rest. Readable from any
 * thread without locking. Positions are in the item's frames at the item's rate, whatever rate the
 * clock output runs at.
 */
public final class PlaybackClock {

  /**
   * Ties output frame {@code outputFrame} of {@code clock} to frame {@code itemFrame} of {@code
   * play}; from there, {@code outputRate} clock frames carry {@code sampleRate} item frames (they
   * differ when the item is resampled). A pending anchor ({@code clock == null}) holds a play that
   * is loaded but not heard yet.
   */
  record Anchor(
      long generation,
      Play play,
      long outputFrame,
      long itemFrame,
      int sampleRate,
      int outputRate,
      Output clock) {

    /** The item frame heard when the clock has played {@code played} frames. */
    long itemFrameAt(long played) {
      long ahead = Math.max(0, played - outputFrame);
      return itemFrame
          + (sampleRate == outputRate || outputRate <= 0 ? ahead : ahead * sampleRate / outputRate);
    }
  }

  /**
   * A position read from the clock.
   *
   * @param play the play being heard, null when nothing is
   * @param itemFrame frame of the item heard at {@code atMicros}
   * @param sampleRate the item's rate
   * @param atMicros server wall-clock time, microseconds since the Unix epoch
   */
  public record Position(Play play, long itemFrame, int sampleRate, long atMicros) {

    /** The position in microseconds of audio. */
    public long micros() {
      return sampleRate <= 0 ? 0 : itemFrame * 1_000_000L / sampleRate;
    }
  }

  final AtomicReference<Anchor> anchor = new AtomicReference<>();

  /** The position now. */
  public Position now() {
    Anchor a = anchor.get();
    long nowMicros = WallClock.micros();
    if (a == null) {
      return new Position(null, 0, 0, nowMicros);
    }
    if (a.clock == null) {
      return new Position(a.play, a.itemFrame, a.sampleRate, nowMicros);
    }
    return new Position(a.play, a.itemFrameAt(a.clock.framesPlayed()), a.sampleRate, nowMicros);
  }

  /** Frames played and latency of the clock output, or zeros when none is open. */
  public long framesPlayed() {
    Anchor a = anchor.get();
    return a == null || a.clock == null ? 0 : a.clock.framesPlayed();
  }

  /** Microseconds until a frame written now is heard on the clock output. */
  public long latencyMicros() {
    Anchor a = anchor.get();
    return a == null || a.clock == null ? 0 : a.clock.latencyMicros();
  }
}
