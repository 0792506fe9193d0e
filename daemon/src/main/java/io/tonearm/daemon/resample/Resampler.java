package io.tonearm.daemon.resample;

/**
 * Streaming sample-rate converter: a polyphase windowed-sinc FIR for the rational ratio {@code
 * outRate / inRate = L / M} (reduced by their gcd), on interleaved float frames of any channel
 * count. The prototype low-pass is a Kaiser-windowed sinc (beta 10, about 100 dB stop-band
 * attenuation) with 64 zero crossings each side at the lower of the two rates; it passes up to
 * 0.475 of the lower rate (20.9 kHz at 44.1 kHz) and stops from 0.5.
 *
 * <p>Latency: a linear-phase filter, so every frequency is delayed by the same {@link
 * #delayInputFrames()} input frames (64 at 44.1 to 48 kHz, 128 at 96 to 48 kHz), which is {@link
 * #delayOutputFrames()} output frames. The first output frame is the filter's response to zeros
 * before the first input; {@link #flush} pushes the last input frames out.
 *
 * <p>Not thread-safe: one audio thread owns it. Everything is allocated in the constructor; {@link
 * #process} allocates nothing.
 */
public final class Resampler {

  private static final double BETA = 10.0;
  private static final int ZERO_CROSSINGS = 64;
  private static final double PASS = 0.475;
  private static final int MAX_PHASES = 4096;

  private final int inRate;
  private final int outRate;
  private final int channels;
  private final int up; // L
  private final int down; // M
  private final int taps; // K, per phase
  private final int maxBlock;
  private final float[] coefs; // [phase][tap]: coefs[p * taps + k] = h[p + k * L]
  private final float[] history;
  private final float[] zeros;
  private int avail; // frames in history
  private int index; // history frame of the newest input sample the next output needs
  private int phase;

  /**
   * @param inRate input frames per second
   * @param outRate output frames per second
   * @param channels interleaved channels per frame
   * @param maxBlockFrames the largest input block passed to {@link #process} at once without
   *     internal splitting; larger blocks work too, in several passes
   * @throws IllegalArgumentException when a value is out of range or the reduced ratio needs more
   *     than 4096 filter phases
   */
  public Resampler(int inRate, int outRate, int channels, int maxBlockFrames) {
    if (inRate <= 0 || outRate <= 0 || channels <= 0 || maxBlockFrames <= 0) {
      throw new IllegalArgumentException("rates, channels and block size must be positive");
    }
    int g = gcd(inRate, outRate);
    this.inRate = inRate;
    this.outRate = outRate;
    this.channels = channels;
    this.up = outRate / g;
    this.down = inRate / g;
    if (up > MAX_PHASES) {
      throw new IllegalArgumentException(
          "ratio " + outRate + "/" + inRate + " needs " + up + " phases (max " + MAX_PHASES + ")");
    }
    // Stretch the filter when the output rate is lower, so the cutoff follows the output Nyquist.
    double scale = Math.min(1.0, (double) up / down);
    int half = (int) Math.ceil(ZERO_CROSSINGS / scale);
    this.taps = 2 * half;
    this.maxBlock = maxBlockFrames;
    this.coefs = design(up, taps, PASS * scale);
    this.history = new float[(taps + maxBlockFrames) * channels];
    this.zeros = new float[Math.max(1, half) * channels];
    reset();
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** Kaiser-windowed sinc, in input-sample time, each phase normalised to unity gain at DC. */
  private static float[] design(int phases, int taps, double cutoff) {
    int n = phases * taps;
    double center = n / 2.0;
    double i0Beta = besselI0(BETA);
    float[] c = new float[n];
    for (int p = 0; p < phases; p++) {
      double[] row = new double[taps];
      double sum = 0;
      for (int k = 0; k < taps; k++) {
        int j = p + k * phases;
        double t = (j - center) / phases; // input samples from the filter's centre
        double x = 2 * cutoff * t;
        double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        double r = (j - center) / center;
        double w = besselI0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
        row[k] = 2 * cutoff * sinc * w;
        sum += row[k];
      }
      for (int k = 0; k < taps; k++) {
        c[p * taps + k] = (float) (row[k] / sum);
      }
    }
    return c;
  }

  /** Modified Bessel function of the first kind, order 0, by its power series. */
  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    for (int k = 1; k < 64; k++) {
      term *= (x / (2 * k)) * (x / (2 * k));
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }

  /** Forgets all input, as at construction (the filter starts again from zeros). */
  public void reset() {
    java.util.Arrays.fill(history, 0f);
    avail = taps - 1;
    index = taps - 1;
    phase = 0;
  }

  /** Output frames that {@code process} may write for {@code inputFrames} input frames, at most. */
  public int maxOutputFrames(int inputFrames) {
    return (int) (((long) inputFrames * up + down - 1) / down) + 1;
  }

  /** The filter's group delay in input frames. */
  public double delayInputFrames() {
    return taps / 2.0;
  }

  /** The filter's group delay in output frames. */
  public double delayOutputFrames() {
    return taps / 2.0 * outRate / inRate;
  }

  public int inputRate() {
    return inRate;
  }

  public int outputRate() {
    return outRate;
  }

  /**
   * Converts {@code inFrames} interleaved frames from {@code in[inOffset]}, writing the output
   * frames they complete to {@code out[outOffset]}, which must hold {@link
   * #maxOutputFrames(int)}{@code (inFrames)} frames.
   *
   * @return output frames written
   */
  public int process(float[] in, int inOffset, int inFrames, float[] out, int outOffset) {
    int produced = 0;
    while (inFrames > 0) {
      int n = Math.min(inFrames, maxBlock);
      System.arraycopy(in, inOffset, history, avail * channels, n * channels);
      avail += n;
      produced += drain(out, outOffset + produced * channels);
      inOffset += n * channels;
      inFrames -= n;
    }
    return produced;
  }

  /**
   * Feeds {@link #delayInputFrames()} frames of silence, so that the output covers all the input
   * given so far; {@code out} must hold {@code maxOutputFrames(delayInputFrames())} frames.
   *
   * @return output frames written
   */
  public int flush(float[] out, int outOffset) {
    return process(zeros, 0, zeros.length / channels, out, outOffset);
  }

  private int drain(float[] out, int outOffset) {
    int produced = 0;
    int ch = channels;
    int k0 = taps;
    float[] h = coefs;
    float[] x = history;
    int o = outOffset;
    while (index < avail) {
      int base = phase * k0;
      for (int c = 0; c < ch; c++) {
        float acc = 0f;
        int xi = index * ch + c;
        for (int k = 0; k < k0; k++, xi -= ch) {
          acc += h[base + k] * x[xi];
        }
        out[o++] = acc;
      }
      produced++;
      phase += down;
      index += phase / up;
      phase %= up;
    }
    int keepFrom = Math.min(index - (taps - 1), avail);
    if (keepFrom > 0) {
      System.arraycopy(x, keepFrom * ch, x, 0, (avail - keepFrom) * ch);
      avail -= keepFrom;
      index -= keepFrom;
    }
    return produced;
  }
}
