package io.tonearm.client;

import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.MeterView;
import io.tonearm.proto.v1.OnsetView;
import io.tonearm.proto.v1.SpectrumView;
import io.tonearm.proto.v1.StemMeterView;
import io.tonearm.proto.v1.WaveformView;
import java.util.Objects;

/**
 * A frame-lane subscription: a frame topic ({@code transport}, {@code spectrum}, {@code waveform},
 * {@code meters}, {@code onsets}, {@code stem_meters}) at a rate, with the view's options for the
 * analysis topics (FFT size, window, scale, bands, weighting, smoothing...; see docs/PROTOCOL.md
 * "Analysis"). The factories check every option against the daemon's limits, so a bad view fails
 * here rather than as a {@code bad_view} error later. Immutable.
 *
 * @param topic the frame topic's wire name; never null
 * @param fps frames per second, 1 to 120, or 0 for the topic's default
 * @param view the analysis options, or null for the defaults (and for {@code transport})
 */
public record FrameViewRequest(String topic, int fps, FrameView view) {

  /** Highest rate the daemon serves. */
  public static final int MAX_FPS = 120;

  public FrameViewRequest {
    Objects.requireNonNull(topic, "topic");
    if (topic.isBlank() || topic.contains(",")) {
      throw new IllegalArgumentException("bad topic: '" + topic + "'");
    }
    if (fps < 0 || fps > MAX_FPS) {
      throw new IllegalArgumentException("fps must be 0 to " + MAX_FPS + ", got " + fps);
    }
  }

  /** A view with the topic's default options. */
  public FrameViewRequest(String topic, int fps) {
    this(topic, fps, null);
  }

  /** Transport frames: position, latency and frames played, at {@code fps}. */
  public static FrameViewRequest transport(int fps) {
    return new FrameViewRequest("transport", fps);
  }

  /**
   * Spectrum frames with these options (an empty view means the defaults: 2048 Hann dBFS linear).
   */
  public static FrameViewRequest spectrum(int fps, SpectrumView v) {
    Objects.requireNonNull(v, "view");
    if (v.getSize() != 0
        && (v.getSize() < 256 || v.getSize() > 32768 || Integer.bitCount(v.getSize()) != 1)) {
      throw new IllegalArgumentException(
          "spectrum size must be a power of two 256..32768: " + v.getSize());
    }
    if (v.getBandCount() != 0 && (v.getBandCount() < 2 || v.getBandCount() > 1024)) {
      throw new IllegalArgumentException("band_count must be 2..1024: " + v.getBandCount());
    }
    int f = v.getOctaveFraction();
    if (f != 0 && f != 1 && f != 2 && f != 3 && f != 6 && f != 12 && f != 24) {
      throw new IllegalArgumentException("octave_fraction must be 1, 2, 3, 6, 12 or 24: " + f);
    }
    if (v.hasSmoothing() && !(v.getSmoothing() >= 0 && v.getSmoothing() <= 1)) {
      throw new IllegalArgumentException("smoothing must be 0..1: " + v.getSmoothing());
    }
    if (!(v.getPeakDecayDbPerS() >= 0 && v.getPeakDecayDbPerS() <= 1000)) {
      throw new IllegalArgumentException("peak_decay_db_per_s must be 0..1000");
    }
    if (v.getMinHz() < 0 || (v.getMaxHz() != 0 && v.getMaxHz() <= v.getMinHz())) {
      throw new IllegalArgumentException("need 0 <= min_hz < max_hz");
    }
    return new FrameViewRequest("spectrum", fps, FrameView.newBuilder().setSpectrum(v).build());
  }

  /** Waveform frames: columns 16..4096 (0 default 512), span 10..2000 ms (0 default). */
  public static FrameViewRequest waveform(int fps, WaveformView v) {
    Objects.requireNonNull(v, "view");
    if (v.getColumns() != 0 && (v.getColumns() < 16 || v.getColumns() > 4096)) {
      throw new IllegalArgumentException("columns must be 16..4096: " + v.getColumns());
    }
    if (v.getSpanMs() != 0 && (v.getSpanMs() < 10 || v.getSpanMs() > 2000)) {
      throw new IllegalArgumentException("span_ms must be 10..2000: " + v.getSpanMs());
    }
    return new FrameViewRequest("waveform", fps, FrameView.newBuilder().setWaveform(v).build());
  }

  /** Meter frames: peak, RMS, true peak, EBU R128 loudness, correlation, balance. */
  public static FrameViewRequest meters(int fps) {
    return new FrameViewRequest(
        "meters", fps, FrameView.newBuilder().setMeters(MeterView.getDefaultInstance()).build());
  }

  /**
   * Per-stem meter frames: peak, RMS, true peak and momentary and short-term loudness of each stem
   * as it enters the mix, and of the mixer's output.
   */
  public static FrameViewRequest stemMeters(int fps) {
    return new FrameViewRequest(
        "stem_meters",
        fps,
        FrameView.newBuilder().setStemMeters(StemMeterView.getDefaultInstance()).build());
  }

  /** Onset and tempo frames; sensitivity 1..10 (0 for the default 1.5). */
  public static FrameViewRequest onsets(int fps, float sensitivity) {
    if (sensitivity != 0 && !(sensitivity >= 1 && sensitivity <= 10)) {
      throw new IllegalArgumentException("sensitivity must be 1..10: " + sensitivity);
    }
    return new FrameViewRequest(
        "onsets",
        fps,
        FrameView.newBuilder()
            .setOnsets(OnsetView.newBuilder().setSensitivity(sensitivity))
            .build());
  }
}
