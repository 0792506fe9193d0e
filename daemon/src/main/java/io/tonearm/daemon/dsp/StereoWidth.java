package io.tonearm.daemon.dsp;

/**
 * Stereo width by mid/side: side = (L - R) / 2 is scaled by the width, mid = (L + R) / 2 kept; 0 is
 * mono, 1 leaves samples untouched, 2 doubles the side. Only for two channels (others pass). A new
 * width is reached along a linear ramp of {@value #RAMP_MS} ms.
 *
 * <p>{@link #setWidth} from any thread; the rest on the output thread (see {@link Stage}).
 */
public final class StereoWidth implements Stage {

  static final double RAMP_MS = 20;

  private volatile double wanted = 1;
  private double width = 1;
  private double step;
  private int channels = 2;

  /** The width to ramp to, 0..2; any thread. */
  public void setWidth(double w) {
    wanted = w;
  }

  @Override
  public void prepare(int sampleRate, int channels) {
    this.channels = channels;
    step = 1 / (RAMP_MS / 1000 * sampleRate); // a width change of 1 takes RAMP_MS
  }

  @Override
  public void reset() {}

  @Override
  public void process(float[] buf, int offset, int frames) {
    double t = wanted;
    if (channels != 2 || (width == 1 && t == 1)) {
      return;
    }
    double w = width;
    int end = offset + 2 * frames;
    for (int k = offset; k < end; k += 2) {
      if (w != t) {
        w = w < t ? Math.min(t, w + step) : Math.max(t, w - step);
      }
      double mid = 0.5 * (buf[k] + buf[k + 1]);
      double side = 0.5 * (buf[k] - buf[k + 1]) * w;
      buf[k] = (float) (mid + side);
      buf[k + 1] = (float) (mid - side);
    }
    width = w;
  }
}
