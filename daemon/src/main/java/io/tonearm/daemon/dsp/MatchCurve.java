package io.tonearm.daemon.dsp;

import java.util.ArrayList;
import java.util.List;

/**
 * Designs the equaliser that moves one spectral balance toward another: the difference of two
 * 1/3-octave long-term spectra (each normalised to its own mean level over 50 Hz..16 kHz, so
 * loudness does not count), limited to ±12 dB, times the intensity, fitted by up to {@value #BANDS}
 * peaking biquads at octave centres (31.5 Hz..16 kHz, Q 1.4) whose gains are solved by least
 * squares on their actual responses at the band centres. Stateless; any thread.
 */
public final class MatchCurve {

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
