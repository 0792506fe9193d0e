package io.tonearm.daemon.analysis;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Long-term average spectrum in 1/3-octave bands (IEC 61260 base-10 centres from 25 Hz to 20 kHz,
 * cut at 0.45 of the rate): the power of every Hann-windowed 8192-frame segment (half overlapping),
 * channels summed, averaged over the whole signal and summed into the bands. What reference
 * matching compares. One owner thread; allocates in its constructor.
 */
public final class LongTermSpectrum {

  static final int SIZE = 8192;

  /** Frames of one analysis segment: a signal shorter than this has no spectrum. */
  public static final int SEGMENT_FRAMES = SIZE;

  private final int rate;
  private final int channels;
  private final DoubleFFT_1D fft = new DoubleFFT_1D(SIZE);
  private final double[] window = new double[SIZE];
  private final double[] segment = new double[SIZE];
  private final double[] history;
  private final double[] power = new double[SIZE / 2 + 1];
  private final double[] centres;
  private int filled;
  private long segments;

  public LongTermSpectrum(int sampleRate, int channels) {
    this.rate = sampleRate;
    this.channels = channels;
    this.history = new double[SIZE * channels];
    for (int i = 0; i < SIZE; i++) {
      window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / SIZE);
    }
    this.centres = centres(sampleRate);
  }

  /** The band centres used at {@code sampleRate}, Hz: 10^(n/10) from 25 Hz up to 0.45 rate. */
  public static double[] centres(int sampleRate) {
    java.util.List<Double> c = new java.util.ArrayList<>();
    for (int n = 14; n <= 43; n++) {
      double f = Math.pow(10, n / 10.0);
      if (f <= 0.45 * sampleRate) {
        c.add(f);
      }
    }
    return c.stream().mapToDouble(Double::doubleValue).toArray();
  }

  public double[] centres() {
    return centres.clone();
  }

  /** Feeds {@code frames} interleaved frames. */
  public void accept(float[] src, int offset, int frames) {
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        history[c * SIZE + filled] = src[offset + i * channels + c];
      }
      if (++filled == SIZE) {
        analyse();
        for (int c = 0; c < channels; c++) {
          System.arraycopy(history, c * SIZE + SIZE / 2, history, c * SIZE, SIZE / 2);
        }
        filled = SIZE / 2;
      }
    }
  }

  private void analyse() {
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < SIZE; i++) {
        segment[i] = history[c * SIZE + i] * window[i];
      }
      fft.realForward(segment);
      power[0] += segment[0] * segment[0];
      power[SIZE / 2] += segment[1] * segment[1];
      for (int k = 1; k < SIZE / 2; k++) {
        double re = segment[2 * k];
        double im = segment[2 * k + 1];
        power[k] += 2 * (re * re + im * im);
      }
    }
    segments++;
  }

  /**
   * The level of each band in dB (relative, same scale for every signal of this rate); -200 for a
   * band with no energy or before one whole segment was seen.
   */
  public double[] bandsDb() {
    double[] out = new double[centres.length];
    double edge = Math.pow(10, 0.05);
    for (int b = 0; b < centres.length; b++) {
      double lo = centres[b] / edge;
      double hi = centres[b] * edge;
      double sum = 0;
      for (int k = 1; k < SIZE / 2; k++) {
        double f = (double) k * rate / SIZE;
        if (f >= lo && f < hi) {
          sum += power[k];
        }
      }
      out[b] = segments == 0 || sum <= 0 ? -200 : 10 * Math.log10(sum / segments);
    }
    return out;
  }
}
