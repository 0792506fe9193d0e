package io.tonearm.daemon.analysis;

import io.tonearm.proto.v1.Weighting;

/**
 * Frequency weightings as gains in dB: A and C from the pole frequencies of IEC 61672-1 (normalised
 * to 0 dB at 1 kHz: +2.00 and +0.06 dB), ITU-R BS.468-4 from the rational response published with
 * the standard (+18.2 dB normalisation, so 0 dB at 1 kHz and +12.2 dB at 6.3 kHz).
 */
final class FrequencyWeighting {

  private FrequencyWeighting() {}

  /** Gain of {@code weighting} at {@code hz}, in dB; very low at 0 Hz rather than -Infinity. */
  static double db(Weighting weighting, double hz) {
    double f = Math.max(hz, 1e-3);
    double f2 = f * f;
    switch (weighting) {
      case WEIGHTING_A:
        {
          double r =
              sq(12194)
                  * f2
                  * f2
                  / ((f2 + sq(20.6))
                      * Math.sqrt((f2 + sq(107.7)) * (f2 + sq(737.9)))
                      * (f2 + sq(12194)));
          return 20 * Math.log10(r) + 2.00;
        }
      case WEIGHTING_C:
        {
          double r = sq(12194) * f2 / ((f2 + sq(20.6)) * (f2 + sq(12194)));
          return 20 * Math.log10(r) + 0.06;
        }
      case WEIGHTING_ITU_468:
        {
          double h1 =
              -4.737338981378384e-24 * Math.pow(f, 6)
                  + 2.043828333606125e-15 * Math.pow(f, 4)
                  - 1.363894795463638e-07 * f2
                  + 1;
          double h2 =
              1.306612257412824e-19 * Math.pow(f, 5)
                  - 2.118150887518656e-11 * Math.pow(f, 3)
                  + 5.559488023498642e-04 * f;
          double r = 1.246332637532143e-4 * f / Math.sqrt(h1 * h1 + h2 * h2);
          return 18.2 + 20 * Math.log10(r);
        }
      default:
        return 0;
    }
  }

  private static double sq(double x) {
    return x * x;
  }
}
