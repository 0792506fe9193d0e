package io.tonearm.daemon.dsp;

/**
 * Software volume: multiplies every sample by a gain that moves to a new target along a short
 * linear ramp, so that a volume change never steps the waveform (no zipper noise).
 *
 * <p>{@link #setTarget} may be called from any thread; {@link #process} only from the output
 * thread. Allocation-free.
 */
public final class VolumeRamp implements Stage {

  /** A full-scale change (0 to 1) takes this long; smaller changes take proportionally less. */
  public static final double RAMP_SECONDS = 0.010;

  private volatile float target;
  private float current;
  private int rate = 48_000;
  private int channels = 2;

  public VolumeRamp(float initialGain) {
    this.target = initialGain;
    this.current = initialGain;
  }

  /**
   * Amplitude for a volume of 0 to 100: a cubic curve, which tracks perceived loudness far better
   * than a linear one (the mapping ALSA's alsamixer uses for its percentage; 50 is about -18 dB).
   */
  public static float gainFor(int volume, boolean muted) {
    if (muted || volume <= 0) {
      return 0f;
    }
    double v = Math.min(100, volume) / 100.0;
    return (float) (v * v * v);
  }

  /** The gain to ramp to, linear amplitude. */
  public void setTarget(float gain) {
    target = gain;
  }

  public float target() {
    return target;
  }

  /** The gain applied to the last processed frame. */
  public float current() {
    return current;
  }

  /** Skips the ramp: used after a discontinuity, where there is no waveform to keep smooth. */
  public void jump() {
    current = target;
  }

  @Override
  public void prepare(int sampleRate, int channels) {
    this.rate = sampleRate;
    this.channels = channels;
  }

  @Override
  public void process(float[] buf, int offset, int frames) {
    process(buf, offset, frames, channels, rate);
  }

  /** Nothing to forget: the gain is not history; {@link #jump} skips a ramp after a break. */
  @Override
  public void reset() {}

  /** Applies the gain in place to {@code frames} interleaved frames. */
  public void process(float[] buf, int offset, int frames, int channels, int sampleRate) {
    float t = target;
    int end = offset + frames * channels;
    if (current == t) {
      if (t != 1f) {
        for (int i = offset; i < end; i++) {
          buf[i] *= t;
        }
      }
      return;
    }
    float step = (float) (1.0 / (RAMP_SECONDS * sampleRate));
    float g = current;
    for (int i = offset; i < end; i += channels) {
      if (g < t) {
        g = Math.min(t, g + step);
      } else if (g > t) {
        g = Math.max(t, g - step);
      }
      for (int c = 0; c < channels; c++) {
        buf[i + c] *= g;
      }
    }
    current = g;
  }
}
