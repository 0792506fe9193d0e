package io.tonearm.daemon.dsp;

import java.util.ArrayList;
import java.util.List;

/**
 * Designs the equaliser that moves one spectral balance toward another: the difference of two
 * 1/3-octave long-term spectra (each normalised to its own mean level over 50 Hz..16 kHz, so
 * loudness does not count), limited to ±12 dB, times the intensity, fitted by up to {@value #BANDS}
 * peaking biquads at octave centres (31.5 Hz..16 kHz, Q 1.4) whose gains are solved by least
 * squares on their actual responses at the band centres. The level: {@link #gainDb}, the
 * reference's integrated loudness as the target, under a true-peak ceiling. Stateless; any thread.
 */
public final class MatchCurve {

  /**
   * The highest true peak a boost toward the reference's loudness may give the track, dBTP: EBU
   * R128's maximum permitted true-peak level.
   */
  public static final double CEILING_DBTP = -1;

  /** The largest loudness change either way, dB. */
  public static final double MAX_GAIN_DB = 20;

  static final int BANDS = 10;
  private static final double MAX_DB = 12;
  private static final double Q = 1.4;
  private static final double[] OCTAVES = {31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000};

  private MatchCurve() {}

  /**
   * The target curve in dB per band: reference minus source balance, limited, scaled.
   *
   * @param centres band centres, Hz
   * @param sourceDb the playing track's band levels
   * @param referenceDb the reference's band levels
   */
  public static double[] target(
      double[] centres, double[] sourceDb, double[] referenceDb, double intensity) {
    double[] s = balance(centres, sourceDb);
    double[] r = balance(centres, referenceDb);
    double[] t = new double[centres.length];
    for (int b = 0; b < t.length; b++) {
      boolean usable = sourceDb[b] > -150 && referenceDb[b] > -150;
      t[b] = usable ? Math.max(-MAX_DB, Math.min(MAX_DB, r[b] - s[b])) * intensity : 0;
    }
    return t;
  }

  /**
   * The gain that moves a track of integrated loudness {@code trackLufs} to the reference's {@code
   * referenceLufs} (EBU R128, LUFS), times the intensity, limited to ±{@value #MAX_GAIN_DB} dB. A
   * boost is further limited so that the track's true peak ({@code trackTruePeakDbtp}) does not
   * pass {@value #CEILING_DBTP} dBTP (a track already above it is not boosted; a cut is never
   * limited). 0 when either loudness is not finite (silent under the absolute gate).
   *
   * @return dB
   */
  public static double gainDb(
      double referenceLufs, double trackLufs, double trackTruePeakDbtp, double intensity) {
    double wanted = wantedGainDb(referenceLufs, trackLufs, intensity);
    if (wanted <= 0) {
      return wanted;
    }
    double room = Double.isFinite(trackTruePeakDbtp) ? CEILING_DBTP - trackTruePeakDbtp : 0;
    return Math.min(wanted, Math.max(0, room));
  }

  /**
   * How much {@code bands} change the integrated loudness of a track whose long-term band levels
   * are {@code levelsDb} (dB of power at {@code centres}, Hz), dB: the K-weighted power summed over
   * the bands with and without the equaliser's response at each centre (BS.1770's weighting; a band
   * is taken as its centre). Bands below -150 dB are left out.
   */
  public static double loudnessChangeDb(
      double[] centres, double[] levelsDb, List<EqBand> bands, int sampleRate) {
    KWeighting k = new KWeighting(sampleRate, 1);
    double[] shelf = {k.b0, k.b1, k.b2, k.a1, k.a2};
    double[] highPass = {1, -2, 1, k.c1, k.c2};
    double[] c = new double[5];
    double before = 0;
    double after = 0;
    for (int i = 0; i < centres.length; i++) {
      if (levelsDb[i] <= -150 || centres[i] >= 0.5 * sampleRate) {
        continue;
      }
      double weightDb =
          Biquad.magnitudeDb(shelf, sampleRate, centres[i])
              + Biquad.magnitudeDb(highPass, sampleRate, centres[i]);
      double eqDb = 0;
      for (EqBand b : bands) {
        Biquad.design(b.type(), sampleRate, b.frequencyHz(), b.gainDb(), b.q(), c);
        eqDb += Biquad.magnitudeDb(c, sampleRate, centres[i]);
      }
      double p = Math.pow(10, (levelsDb[i] + weightDb) / 10);
      before += p;
      after += p * Math.pow(10, eqDb / 10);
    }
    return before > 0 ? 10 * Math.log10(after / before) : 0;
  }

  /**
   * The most {@code bands} raise any part of a track with long-term band levels {@code levelsDb}
   * (at {@code centres}, Hz), dB, 0 or more: their largest summed response at a centre where the
   * track has energy within 60 dB of its loudest band. An estimate of what they do to its true peak
   * (exact for a tone at a centre; a filter can raise a broadband peak by more).
   */
  public static double peakBoostDb(
      double[] centres, double[] levelsDb, List<EqBand> bands, int sampleRate) {
    double loudest = Double.NEGATIVE_INFINITY;
    for (double l : levelsDb) {
      loudest = Math.max(loudest, l);
    }
    double[] c = new double[5];
    double boost = 0;
    for (int i = 0; i < centres.length; i++) {
      if (levelsDb[i] < loudest - 60 || centres[i] >= 0.5 * sampleRate) {
        continue;
      }
      double eqDb = 0;
      for (EqBand b : bands) {
        Biquad.design(b.type(), sampleRate, b.frequencyHz(), b.gainDb(), b.q(), c);
        eqDb += Biquad.magnitudeDb(c, sampleRate, centres[i]);
      }
      boost = Math.max(boost, eqDb);
    }
    return boost;
  }

  /** {@link #gainDb} before the true-peak ceiling. */
  public static double wantedGainDb(double referenceLufs, double trackLufs, double intensity) {
    if (!Double.isFinite(referenceLufs) || !Double.isFinite(trackLufs)) {
      return 0;
    }
    double d = Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, referenceLufs - trackLufs));
    return d * intensity;
  }

  /** Band levels minus their mean over 50 Hz..16 kHz. */
  public static double[] balance(double[] centres, double[] db) {
    double sum = 0;
    int n = 0;
    for (int b = 0; b < db.length; b++) {
      if (centres[b] >= 50 && centres[b] <= 16_000 && db[b] > -150) {
        sum += db[b];
        n++;
      }
    }
    double mean = n == 0 ? 0 : sum / n;
    double[] out = new double[db.length];
    for (int b = 0; b < db.length; b++) {
      out[b] = db[b] - mean;
    }
    return out;
  }

  /** Peaking bands whose summed response approximates {@code targetDb} at {@code centres}. */
  public static List<EqBand> fit(double[] centres, double[] targetDb, int sampleRate) {
    List<Double> fs = new ArrayList<>();
    for (double f : OCTAVES) {
      if (f < 0.45 * sampleRate) {
        fs.add(f);
      }
    }
    int m = fs.size();
    int n = centres.length;
    // Response of each band at unit gain (1 dB) at each centre: peaking responses in dB scale
    // almost linearly with the gain at these Q values, so a linear least-squares fit of the gains
    // is refined twice on the real responses.
    double[] gains = new double[m];
    double[] c = new double[5];
    for (int pass = 0; pass < 3; pass++) {
      double[][] basis = new double[m][n];
      for (int j = 0; j < m; j++) {
        double g = Math.abs(gains[j]) < 0.5 ? 1 : gains[j];
        Biquad.design(FilterType.PEAKING, sampleRate, fs.get(j), g, Q, c);
        for (int i = 0; i < n; i++) {
          basis[j][i] = Biquad.magnitudeDb(c, sampleRate, centres[i]) / g;
        }
      }
      double[] rhs = new double[m];
      double[][] ata = new double[m][m];
      for (int j = 0; j < m; j++) {
        for (int k = 0; k < m; k++) {
          for (int i = 0; i < n; i++) {
            ata[j][k] += basis[j][i] * basis[k][i];
          }
        }
        for (int i = 0; i < n; i++) {
          rhs[j] += basis[j][i] * targetDb[i];
        }
        ata[j][j] += 1e-3; // keeps bands without support at 0
      }
      gains = solve(ata, rhs);
    }
    List<EqBand> out = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      double g = Math.max(-MAX_DB, Math.min(MAX_DB, gains[j]));
      if (Math.abs(g) >= 0.05) {
        out.add(new EqBand(FilterType.PEAKING, fs.get(j), g, Q));
      }
    }
    return out;
  }

  private static double[] solve(double[][] a0, double[] b0) {
    int n = b0.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = a0[i].clone();
    }
    double[] b = b0.clone();
    for (int p = 0; p < n; p++) {
      int best = p;
      for (int r = p + 1; r < n; r++) {
        if (Math.abs(a[r][p]) > Math.abs(a[best][p])) {
          best = r;
        }
      }
      double[] t = a[p];
      a[p] = a[best];
      a[best] = t;
      double tb = b[p];
      b[p] = b[best];
      b[best] = tb;
      for (int r = p + 1; r < n; r++) {
        double f = a[r][p] / a[p][p];
        for (int k = p; k < n; k++) {
          a[r][k] -= f * a[p][k];
        }
        b[r] -= f * b[p];
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = b[i];
      for (int k = i + 1; k < n; k++) {
        s -= a[i][k] * x[k];
      }
      x[i] = s / a[i][i];
    }
    return x;
  }
}
