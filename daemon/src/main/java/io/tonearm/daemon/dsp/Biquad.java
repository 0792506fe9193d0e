package io.tonearm.daemon.dsp;

/**
 * Coefficients of the second-order sections of Robert Bristow-Johnson's Audio EQ Cookbook,
 * normalised so that a0 = 1: {@code y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2
 * y[n-2]}. Stateless; any thread.
 */
public final class Biquad {

  /** Index of b0 in a coefficient array; then b1, b2, a1, a2. */
  public static final int B0 = 0;

  public static final int B1 = 1;
  public static final int B2 = 2;
  public static final int A1 = 3;
  public static final int A2 = 4;

  private Biquad() {}

  /**
   * Writes the five normalised coefficients of {@code type} into {@code c}.
   *
   * @param sampleRate frames per second
   * @param hz the centre or corner frequency, above 0 and below sampleRate / 2
   * @param gainDb the gain of peaking and shelf filters, dB
   * @param q the quality factor, above 0 (for shelves the cookbook's Q form of alpha)
   */
  public static void design(
      FilterType type, double sampleRate, double hz, double gainDb, double q, double[] c) {
    double w0 = 2 * Math.PI * hz / sampleRate;
    double cos = Math.cos(w0);
    double alpha = Math.sin(w0) / (2 * q);
    double a = Math.pow(10, gainDb / 40);
    double b0;
    double b1;
    double b2;
    double a0;
    double a1;
    double a2;
    switch (type) {
      case LOW_PASS -> {
        b0 = (1 - cos) / 2;
        b1 = 1 - cos;
        b2 = b0;
        a0 = 1 + alpha;
        a1 = -2 * cos;
        a2 = 1 - alpha;
      }
      case HIGH_PASS -> {
        b0 = (1 + cos) / 2;
        b1 = -(1 + cos);
        b2 = b0;
        a0 = 1 + alpha;
        a1 = -2 * cos;
        a2 = 1 - alpha;
      }
      case PEAKING -> {
        b0 = 1 + alpha * a;
        b1 = -2 * cos;
        b2 = 1 - alpha * a;
        a0 = 1 + alpha / a;
        a1 = -2 * cos;
        a2 = 1 - alpha / a;
      }
      case LOW_SHELF -> {
        double s = 2 * Math.sqrt(a) * alpha;
        b0 = a * ((a + 1) - (a - 1) * cos + s);
        b1 = 2 * a * ((a - 1) - (a + 1) * cos);
        b2 = a * ((a + 1) - (a - 1) * cos - s);
        a0 = (a + 1) + (a - 1) * cos + s;
        a1 = -2 * ((a - 1) + (a + 1) * cos);
        a2 = (a + 1) + (a - 1) * cos - s;
      }
      case HIGH_SHELF -> {
        double s = 2 * Math.sqrt(a) * alpha;
        b0 = a * ((a + 1) + (a - 1) * cos + s);
        b1 = -2 * a * ((a - 1) + (a + 1) * cos);
        b2 = a * ((a + 1) + (a - 1) * cos - s);
        a0 = (a + 1) - (a - 1) * cos + s;
        a1 = 2 * ((a - 1) - (a + 1) * cos);
        a2 = (a + 1) - (a - 1) * cos - s;
      }
      default -> throw new IllegalArgumentException(type.name());
    }
    c[B0] = b0 / a0;
    c[B1] = b1 / a0;
    c[B2] = b2 / a0;
    c[A1] = a1 / a0;
    c[A2] = a2 / a0;
  }

  /** The magnitude response of coefficients {@code c} at {@code hz}, in dB. */
  public static double magnitudeDb(double[] c, double sampleRate, double hz) {
    double w = 2 * Math.PI * hz / sampleRate;
    double cr = Math.cos(w);
    double ci = -Math.sin(w);
    double c2r = Math.cos(2 * w);
    double c2i = -Math.sin(2 * w);
    double nr = c[B0] + c[B1] * cr + c[B2] * c2r;
    double ni = c[B1] * ci + c[B2] * c2i;
    double dr = 1 + c[A1] * cr + c[A2] * c2r;
    double di = c[A1] * ci + c[A2] * c2i;
    return 10 * Math.log10((nr * nr + ni * ni) / (dr * dr + di * di));
  }
}
