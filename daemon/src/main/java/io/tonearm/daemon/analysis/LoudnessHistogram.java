package io.tonearm.daemon.analysis;

/**
 * Gating blocks (or short-term values) kept as a histogram of loudness with 0.01 LU bins from -70
 * to +30 LUFS, each bin with its count and the exact sum of its blocks' energies. Memory stays
 * bounded (160 KB) however long the programme, means are exact, and only thresholds and percentiles
 * are quantised to 0.01 LU. Histograms add, which gives album loudness over the concatenated
 * blocks. Mutable; one owner thread.
 */
public final class LoudnessHistogram {

  /** The absolute gate of BS.1770-4 and Tech 3342, in LUFS. */
  static final double ABSOLUTE_GATE = -70;

  private static final double BIN = 0.01;
  private static final int BINS = 10_000;

  private final long[] counts = new long[BINS];
  private final double[] energies = new double[BINS];
  private long total;

  /**
   * The lowest and highest bins holding a block ({@code lo > hi} when none): the sums below run
   * over these bins only. A bin outside holds exactly 0, and adding 0 leaves a sum of non-negative
   * energies unchanged bit for bit, so the results are those of the whole range; a programme's
   * blocks usually span a few thousand of the 10,000 bins, and the meters sum them ten times a
   * second.
   */
  private int lo = BINS;

  private int hi = -1;

  /** Adds one block of mean-square energy {@code energy} (already channel-weighted). */
  void add(double energy) {
    double lufs = Loudness.lufs(energy);
    if (!(lufs >= ABSOLUTE_GATE)) {
      return;
    }
    int bin = (int) ((lufs - ABSOLUTE_GATE) / BIN);
    if (bin >= BINS) {
      bin = BINS - 1;
    }
    counts[bin]++;
    energies[bin] += energy;
    total++;
    if (bin < lo) {
      lo = bin;
    }
    if (bin > hi) {
      hi = bin;
    }
  }

  /** Adds every block of {@code other} to this histogram. */
  public void addAll(LoudnessHistogram other) {
    for (int i = other.lo; i <= other.hi; i++) {
      counts[i] += other.counts[i];
      energies[i] += other.energies[i];
    }
    total += other.total;
    lo = Math.min(lo, other.lo);
    hi = Math.max(hi, other.hi);
  }

  void clear() {
    java.util.Arrays.fill(counts, 0);
    java.util.Arrays.fill(energies, 0);
    total = 0;
    lo = BINS;
    hi = -1;
  }

  /** Blocks above the absolute gate. */
  public long blocks() {
    return total;
  }

  /**
   * Gated loudness (BS.1770-4 section 5.1 / 2.8): the mean energy of blocks above the absolute gate
   * and above the relative gate {@code relativeGate} LU below their mean; {@code -Infinity} when no
   * block passes.
   */
  public double gatedLoudness(double relativeGate) {
    int first = firstAboveRelativeGate(relativeGate);
    if (first < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    double sum = 0;
    long n = 0;
    for (int i = Math.max(first, lo); i <= hi; i++) {
      sum += energies[i];
      n += counts[i];
    }
    return n == 0 ? Double.NEGATIVE_INFINITY : Loudness.lufs(sum / n);
  }

  /**
   * Loudness range after EBU Tech 3342: of the values above the relative gate {@code relativeGate}
   * (-20 LU), the 95th minus the 10th percentile, in LU; 0 when there are none.
   */
  public double range(double relativeGate) {
    int first = firstAboveRelativeGate(relativeGate);
    if (first < 0) {
      return 0;
    }
    long n = 0;
    for (int i = Math.max(first, lo); i <= hi; i++) {
      n += counts[i];
    }
    if (n == 0) {
      return 0;
    }
    double low = percentile(first, n, 0.10);
    double high = percentile(first, n, 0.95);
    return Math.max(0, high - low);
  }

  private double percentile(int first, long n, double p) {
    // Nearest rank on the sorted values: index round(p * (n - 1)), as libebur128 does.
    long rank = Math.round(p * (n - 1));
    long seen = 0;
    for (int i = first; i < BINS; i++) {
      seen += counts[i];
      if (seen > rank) {
        return ABSOLUTE_GATE + (i + 0.5) * BIN;
      }
    }
    return ABSOLUTE_GATE + (BINS - 0.5) * BIN;
  }

  private int firstAboveRelativeGate(double relativeGate) {
    if (total == 0) {
      return -1;
    }
    double sum = 0;
    for (int i = lo; i <= hi; i++) {
      sum += energies[i];
    }
    double threshold = Loudness.lufs(sum / total) + relativeGate;
    int first = (int) Math.ceil((threshold - ABSOLUTE_GATE) / BIN - 0.5);
    return Math.max(0, Math.min(BINS - 1, first));
  }
}
