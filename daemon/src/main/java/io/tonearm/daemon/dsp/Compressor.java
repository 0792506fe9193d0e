package io.tonearm.daemon.dsp;

/**
 * A feed-forward compressor after Giannoulis, Massberg and Reiss (JAES 2012): the level (sample
 * peak, or RMS over 10 ms, the loudest channel, channels linked) goes through the static curve
 * {@link CompressorSettings#curve} in dB; the gain reduction is smoothed in the log domain by the
 * paper's smooth branching peak detector (attack and release time constants), then make-up is
 * added. Ratio 1 with no make-up leaves samples untouched. Changing settings moves the ratio,
 * threshold, knee and make-up along a 20 ms glide, per {@value #SUB} frames.
 *
 * <p>{@link #setSettings} from any thread; the rest on the output thread (see {@link Stage}).
 */
public final class Compressor implements Stage {

  static final int SUB = 32;
  private static final double GLIDE_MS = 20;
  private static final double RMS_MS = 10;

  private volatile CompressorSettings wanted = CompressorSettings.NEUTRAL;
  private CompressorSettings seen;
  private boolean rms;
  private double threshold = CompressorSettings.NEUTRAL.thresholdDb();
  private double ratio = 1;
  private double knee = CompressorSettings.NEUTRAL.kneeDb();
  private double makeup;
  private double attackCoef;
  private double releaseCoef;
  private double rmsCoef;
  private double glideStep;
  private double reductionDb; // the smoothed gain reduction, dB (0 or less)
  private double meanSquare;
  private int rate = 48_000;
  private int channels = 2;

  /** The settings to move to; any thread. */
  public void setSettings(CompressorSettings s) {
    wanted = s;
  }

  /** The smoothed gain reduction after the last block, dB (0 or less); output thread. */
  public double reductionDb() {
    return reductionDb;
  }

  @Override
  public void prepare(int sampleRate, int channels) {
    this.rate = sampleRate;
    this.channels = channels;
    glideStep = 1 - Math.exp(-SUB / (GLIDE_MS / 1000 * sampleRate));
    rmsCoef = Math.exp(-1 / (RMS_MS / 1000 * sampleRate));
    seen = null; // time constants depend on the rate
    reset();
  }

  @Override
  public void reset() {
    reductionDb = 0;
    meanSquare = 0;
  }

  @Override
  public void process(float[] buf, int offset, int frames) {
    CompressorSettings w = wanted;
    if (w != seen) {
      seen = w;
      rms = w.rms();
      attackCoef = Math.exp(-1 / (Math.max(0.01, w.attackMs()) / 1000 * rate));
      releaseCoef = Math.exp(-1 / (Math.max(0.01, w.releaseMs()) / 1000 * rate));
    }
    if (ratio == 1 && w.ratio() == 1 && makeup == 0 && w.makeupDb() == 0 && reductionDb == 0) {
      return; // neutral: untouched
    }
    for (int at = 0; at < frames; at += SUB) {
      glide(w);
      int n = Math.min(SUB, frames - at);
      int end = offset + (at + n) * channels;
      for (int k = offset + at * channels; k < end; k += channels) {
        double peak = 0;
        double square = 0;
        for (int c = 0; c < channels; c++) {
          double x = buf[k + c];
          peak = Math.max(peak, Math.abs(x));
          square = Math.max(square, x * x);
        }
        double levelDb;
        if (rms) {
          meanSquare = rmsCoef * meanSquare + (1 - rmsCoef) * square;
          levelDb = 10 * Math.log10(meanSquare + 1e-30);
        } else {
          levelDb = 20 * Math.log10(peak + 1e-30);
        }
        double target = staticGain(levelDb);
        double coef = target < reductionDb ? attackCoef : releaseCoef;
        reductionDb = coef * reductionDb + (1 - coef) * target;
        float g = (float) Math.pow(10, (reductionDb + makeup) / 20);
        for (int c = 0; c < channels; c++) {
          buf[k + c] *= g;
        }
      }
    }
    if (reductionDb > -1e-9) {
      reductionDb = 0; // recovered: lets a neutral compressor return to bit-exact
    }
  }

  /** The static curve's gain at {@code x} dB: output minus input level, dB (0 or less). */
  private double staticGain(double x) {
    double over = x - threshold;
    if (2 * over < -knee) {
      return 0;
    }
    if (2 * Math.abs(over) <= knee && knee > 0) {
      double k = over + knee / 2;
      return (1 / ratio - 1) * k * k / (2 * knee);
    }
    return threshold + over / ratio - x;
  }

  private void glide(CompressorSettings w) {
    threshold = step(threshold, w.thresholdDb(), 1e-4);
    ratio = step(ratio, w.ratio(), 1e-5);
    knee = step(knee, w.kneeDb(), 1e-4);
    makeup = step(makeup, w.makeupDb(), 1e-5);
  }

  private double step(double from, double to, double eps) {
    return Math.abs(to - from) < eps ? to : from + (to - from) * glideStep;
  }
}
