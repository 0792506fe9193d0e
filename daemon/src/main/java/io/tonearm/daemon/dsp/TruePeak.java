package io.tonearm.daemon.dsp;

/**
 * True-peak measurement after ITU-R BS.1770-4 annex 2: oversample, then take the largest absolute
 * value. Mutable; one owner thread. Shared by the meters and the true-peak limiter, so that both
 * judge a peak the same way.
 *
 * <p>The filter: a polyphase interpolator, 4x below 96 kHz, 2x below 192 kHz, none above (annex 2
 * asks for at least 4x at 48 kHz and allows less where the rate is already high). The prototype is
 * a windowed sinc of 24 taps per phase (96 taps at 4x), cut-off 0.95 of the input Nyquist, Kaiser
 * window beta 7, centred on a tap of phase 0 so that the oversampled grid holds the input samples;
 * each phase is normalised to unity gain at DC. Its passband is flat within about 0.01 dB to 0.375
 * fs (18 kHz at 48 kHz) and -0.4 dB at 0.417 fs (20 kHz at 48 kHz): tighter than the 48-tap example
 * filter of annex 2, at twice its cost. Group delay is 12 input samples.
 *
 * <p>Meters only keep a held or running maximum, so {@link #peakAbove} runs the filter only on the
 * stretches where {@link TruePeakBound} (sample peak and second differences) says an oversampled
 * value could pass what is already known; the maximum it gives is the same, bit for bit. On music
 * stems that is about 2 to 25 % of the samples. Samples must be finite (the callers sanitise).
 * Allocation-free, except when a block larger than any before arrives.
 */
public final class TruePeak {

  public static final int TAPS_PER_PHASE = 24;
  private static final double CUTOFF = 0.95;
  private static final double KAISER_BETA = 7;

  /** Samples kept from the previous block: the filter's reach into the past. */
  private static final int HISTORY = TAPS_PER_PHASE - 1;

  /** Outputs judged by one bound in {@link #peakAbove} (a multiple of the bound's group). */
  private static final int CHUNK = 16;

  private final int factor;
  private final float[] interleaved; // [tap * factor + phase], tap 0 multiplies the newest sample
  private final TruePeakBound bound;
  private final float[] history; // per channel, the last HISTORY samples, oldest first
  // One channel's samples in time order: HISTORY from before the block, then the block; and per
  // group of TruePeakBound.GROUP of them, the peak and the largest second difference. Grown only
  // for a larger block than any before.
  private float[] line = new float[HISTORY + 1024];
  private float[] peaks = new float[line.length / TruePeakBound.GROUP + 1];
  private float[] curves = new float[line.length / TruePeakBound.GROUP + 1];
  private long filtered;
  private long skipped;
  private float blockPeak;
  private final boolean squares;
  private double blockSquares;
  private int groups; // of the last peakAbove's line
  private int curvedTo; // groups of that line whose second differences are in curves, from 0

  /** A true-peak meter that also sums each block's squares ({@link #blockSquares}). */
  public TruePeak(int sampleRate, int maxChannels) {
    this(sampleRate, maxChannels, true);
  }

  /**
   * @param blockSquares whether loading a block also sums its squares, for a caller that reads
   *     {@link #blockSquares} (a level meter); the sum's dependency chain was a sixth of the
   *     loading loop of an analysis that does not read it
   */
  public TruePeak(int sampleRate, int maxChannels, boolean blockSquares) {
    this.squares = blockSquares;
    factor = oversampling(sampleRate);
    float[][] phases = new float[factor][TAPS_PER_PHASE];
    if (factor == 1) {
      phases[0][0] = 1;
    } else {
      design(factor, phases);
    }
    interleaved = new float[factor * TAPS_PER_PHASE];
    for (int ph = 0; ph < factor; ph++) {
      for (int t = 0; t < TAPS_PER_PHASE; t++) {
        interleaved[t * factor + ph] = phases[ph][t];
      }
    }
    bound = new TruePeakBound(phases);
    history = new float[maxChannels * HISTORY];
  }

  /** Oversampling factor used at {@code sampleRate}. */
  public static int oversampling(int sampleRate) {
    return sampleRate < 96_000 ? 4 : sampleRate < 192_000 ? 2 : 1;
  }

  public int factor() {
    return factor;
  }

  public void reset() {
    java.util.Arrays.fill(history, 0);
  }

  /** Samples run through the filter since construction. */
  public long filteredSamples() {
    return filtered;
  }

  /** Samples whose filtering {@link #peakAbove}'s bound made unnecessary, since construction. */
  public long skippedSamples() {
    return skipped;
  }

  /**
   * The largest absolute sample (not oversampled) of the block the last {@link #peak}, {@link
   * #peakAbove} or {@link #peaks} call was given: read while loading it, so that a meter needs no
   * pass of its own.
   */
  public float blockPeak() {
    return blockPeak;
  }

  /**
   * The sum of the squares of the samples of that block, in order: {@code sum += x * x} with the
   * product in float and the sum in double; 0 when this meter was made without block squares.
   */
  public double blockSquares() {
    return blockSquares;
  }

  /**
   * Feeds {@code frames} samples of channel {@code ch} (stride {@code stride}) and returns the
   * largest absolute oversampled value among them.
   */
  public float peak(float[] src, int offset, int stride, int frames, int ch) {
    int end = load(src, offset, stride, frames, ch);
    float m = filterMax(HISTORY, end);
    filtered += frames;
    keep(end, ch);
    return m;
  }

  /**
   * Like {@link #peak}, for callers that only keep {@code max(floor, result)}: that value is
   * exactly what {@link #peak} would give, but the filter runs only where {@link TruePeakBound}
   * says an oversampled value could exceed {@code floor} or the largest value found so far in this
   * block. The result itself is then below {@link #peak}'s when the block does not reach {@code
   * floor} (0 when no output needed the filter at all). A negative {@code floor} filters
   * everything.
   */
  public float peakAbove(float[] src, int offset, int stride, int frames, int ch, double floor) {
    if (floor < 0 || factor == 1) {
      return peak(src, offset, stride, frames, ch);
    }
    int end = HISTORY + frames;
    int groups = loadPeaks(src, offset, stride, frames, ch);
    this.groups = groups;
    float window = 0;
    int loudest = 0;
    for (int g = 0; g < groups; g++) {
      if (peaks[g] > window) {
        window = peaks[g];
        loudest = g;
      }
    }
    if (bound.gainBound(window) <= floor) {
      skipped += frames;
      keep(end, ch);
      return 0;
    }
    int first = loudest * TruePeakBound.GROUP;
    int last = Math.min(end, first + TruePeakBound.GROUP) - 1;
    // The loudest sample's neighbourhood first: its value raises the bar for the rest.
    int from = Math.max(HISTORY, first + bound.nearMin);
    int to = Math.min(end, last + bound.nearMax + 1);
    float found = filterMax(from, to);
    int work = to - from;
    double bar = floor > found ? floor : found;
    // A group is hot when the gain term of its peak passes the bar as it is now. The bar only
    // rises, so a chunk whose window holds no hot group is one gainOver would skip: found by one
    // walk over the groups instead of a window's maximum per chunk. The groups from the current
    // window's first to hot - 1 are cold.
    double coldBar = bar;
    int hot = 0;
    for (int s = HISTORY; s < end; ) {
      int e = Math.min(end, (s / CHUNK + 1) * CHUNK);
      int lastGroup = Math.min(groups - 1, (e - 1) / TruePeakBound.GROUP);
      hot = Math.max(hot, (s - HISTORY) / TruePeakBound.GROUP);
      while (hot <= lastGroup && !(bound.gainBound(peaks[hot]) > coldBar)) {
        hot++;
      }
      // The filter's gain times the sample peak bounds the full bound from above, so a chunk it
      // keeps under the bar is skipped without its second differences (most of a music block's).
      if (hot <= lastGroup && bound.gainOver(peaks, groups, s, e) > bar) {
        curves(s, e, end, groups);
        if (bound.over(peaks, curves, groups, s, e) > bar) {
          float m = filterMax(s, e);
          if (m > found) {
            found = m;
          }
          if (found > bar) {
            bar = found;
          }
          work += e - s;
        }
      }
      s = e;
    }
    filtered += work;
    skipped += Math.max(0, frames - work);
    keep(end, ch);
    return found;
  }

  /**
   * Feeds {@code frames} samples of channel {@code ch} (stride {@code stride}) and raises {@code
   * out[i]} to the largest absolute oversampled value computed when sample {@code i} came in (the
   * interpolated points around the sample {@code TAPS_PER_PHASE / 2} before it).
   */
  public void peaks(float[] src, int offset, int stride, int frames, int ch, float[] out) {
    int end = load(src, offset, stride, frames, ch);
    for (int j = HISTORY; j < end; j++) {
      int i = j - HISTORY;
      float v = filterAt(j);
      if (v > out[i]) {
        out[i] = v;
      }
    }
    filtered += frames;
    keep(end, ch);
  }

  /** The bound {@link #peakAbove} skips by (tests). */
  TruePeakBound bound() {
    return bound;
  }

  /**
   * The last {@link #peakAbove} call's line (history, then the block) and its groups' peaks and
   * second differences (all of them, those it did not need computed now), copied into the arrays
   * given ({@code lineOut}: the line's length); returns the number of groups (tests).
   */
  int lastSummary(float[] lineOut, float[] peaksOut, float[] curvesOut) {
    curvedTo = 0;
    curves(HISTORY, lineOut.length, lineOut.length, groups); // those not needed too
    System.arraycopy(line, 0, lineOut, 0, lineOut.length);
    System.arraycopy(peaks, 0, peaksOut, 0, groups);
    System.arraycopy(curves, 0, curvesOut, 0, groups);
    return groups;
  }

  /**
   * Makes {@link #line} (and the group arrays) long enough for {@code frames} samples after the
   * history, and puts channel {@code ch}'s history first; returns the line's length.
   */
  private int lineFor(int frames, int ch) {
    int end = HISTORY + frames;
    if (line.length < end) {
      line = new float[end]; // a larger block than any before
      peaks = new float[end / TruePeakBound.GROUP + 1];
      curves = new float[end / TruePeakBound.GROUP + 1];
    }
    System.arraycopy(history, ch * HISTORY, line, 0, HISTORY);
    return end;
  }

  /**
   * Copies channel {@code ch}'s history and block into {@link #line}, noting the block's sample
   * peak and sum of squares on the way; returns the line's length.
   */
  private int load(float[] src, int offset, int stride, int frames, int ch) {
    int end = lineFor(frames, ch);
    float[] x = line;
    boolean sums = squares;
    int peak = 0; // as bits (see magnitude)
    double sq = 0;
    for (int i = HISTORY, s = offset; i < end; i++, s += stride) {
      float v = src[s];
      x[i] = v;
      peak = larger(peak, magnitude(v));
      if (sums) {
        sq += v * v;
      }
    }
    blockPeak = Float.intBitsToFloat(peak);
    blockSquares = sq;
    return end;
  }

  /**
   * {@link #load}, and the group peaks of {@link TruePeakBound#summarise} in the same pass; the
   * groups' second differences are left for {@link #curves} to fill where the bound needs them. The
   * line, sum of squares and group peaks are those of the separate loops bit for bit (the same
   * operations in the same order), and the block peak the largest of the same values. Under the
   * quick JIT compiler the daemon runs with, the summary's pass over every sample was half the
   * meters' cost. Returns the number of groups.
   */
  private int loadPeaks(float[] src, int offset, int stride, int frames, int ch) {
    int end = lineFor(frames, ch);
    float[] x = line;
    int groups = (end + TruePeakBound.GROUP - 1) / TruePeakBound.GROUP;
    boolean sums = squares;
    double sq = 0;
    int s = offset;
    for (int g = 0, i = 0; g < groups; g++) {
      int p = 0; // as bits (see magnitude)
      int stop = Math.min(end, i + TruePeakBound.GROUP);
      for (int h = Math.min(stop, HISTORY); i < h; i++) {
        p = larger(p, magnitude(x[i]));
      }
      for (; i < stop; i++, s += stride) {
        float v = src[s];
        x[i] = v;
        p = larger(p, magnitude(v));
        if (sums) {
          sq += v * v;
        }
      }
      peaks[g] = Float.intBitsToFloat(p);
    }
    // The block peak: the largest of the group peaks that lie in the block, and of the block's
    // samples in the group the history's end shares.
    int shared = HISTORY / TruePeakBound.GROUP;
    float peak = 0;
    for (int i = HISTORY, whole = Math.min(end, (shared + 1) * TruePeakBound.GROUP);
        i < whole;
        i++) {
      float a = Math.abs(x[i]);
      if (a > peak) {
        peak = a;
      }
    }
    for (int g = shared + 1; g < groups; g++) {
      if (peaks[g] > peak) {
        peak = peaks[g];
      }
    }
    curvedTo = 0;
    blockPeak = peak;
    blockSquares = sq;
    return groups;
  }

  /**
   * Fills the second differences of the groups {@link TruePeakBound#over} reads for outputs {@code
   * from..to-1}: each group's the value {@link TruePeakBound#summarise} gives it, bit for bit (the
   * same operations in the same order). The chunks ask in rising order, so the groups below {@link
   * #curvedTo} are done, and those skipped between are never read; one pass over the samples of the
   * groups still missing.
   */
  private void curves(int from, int to, int end, int groups) {
    int g = Math.max(curvedTo, bound.curveGroup(from));
    int last = Math.min(groups - 1, (to - 1) / TruePeakBound.GROUP);
    if (g > last) {
      return;
    }
    float[] x = line;
    int i = Math.max(2, g * TruePeakBound.GROUP);
    float before = x[i - 2];
    float prev = x[i - 1];
    for (; g <= last; g++) {
      int d = 0; // as bits (see magnitude)
      for (int stop = Math.min(end, (g + 1) * TruePeakBound.GROUP); i < stop; i++) {
        float v = x[i];
        d = larger(d, magnitude(v - 2 * prev + before));
        before = prev;
        prev = v;
      }
      curves[g] = Float.intBitsToFloat(d);
    }
    curvedTo = last + 1;
  }

  /** Keeps the last samples of {@link #line} as channel {@code ch}'s history. */
  private void keep(int end, int ch) {
    System.arraycopy(line, end - HISTORY, history, ch * HISTORY, HISTORY);
  }

  private float filterMax(int from, int to) {
    float m = 0;
    for (int j = from; j < to; j++) {
      float v = filterAt(j);
      if (v > m) {
        m = v;
      }
    }
    return m;
  }

  /**
   * The largest absolute value of the oversampled points the filter makes at {@code line[j]} (tap
   * {@code t} on {@code line[j - t]}). Independent accumulators with coefficients interleaved by
   * phase: short dependency chains instead of one long one per phase, which is what limits a scalar
   * FIR. The JIT does not vectorise float sums (their order is fixed); a per-tap multiply-add over
   * whole blocks, which it does vectorise, measured twice as slow here (three memory operations per
   * product).
   */
  private float filterAt(int j) {
    float[] x = line;
    float[] c = interleaved;
    switch (factor) {
      case 4:
        {
          float a0 = 0;
          float a1 = 0;
          float a2 = 0;
          float a3 = 0;
          for (int t = 0; t < TAPS_PER_PHASE; t++) {
            float v = x[j - t];
            int k = 4 * t;
            a0 += c[k] * v;
            a1 += c[k + 1] * v;
            a2 += c[k + 2] * v;
            a3 += c[k + 3] * v;
          }
          return max4(Math.abs(a0), Math.abs(a1), Math.abs(a2), Math.abs(a3));
        }
      case 2:
        {
          float a0 = 0;
          float a1 = 0;
          float b0 = 0;
          float b1 = 0;
          for (int t = 0; t < TAPS_PER_PHASE; t += 2) {
            float v = x[j - t];
            float w = x[j - t - 1];
            int k = 2 * t;
            a0 += c[k] * v;
            a1 += c[k + 1] * v;
            b0 += c[k + 2] * w;
            b1 += c[k + 3] * w;
          }
          float p = Math.abs(a0 + b0);
          float q = Math.abs(a1 + b1);
          return p > q ? p : q;
        }
      default:
        return Math.abs(x[j]);
    }
  }

  /**
   * |v| as its bit pattern: for values that are not NaN, the order of these integers is the order
   * of the absolute values (IEEE 754 orders non-negative floats as their bits), so a loop keeps an
   * integer maximum and turns it back into a float once. Under the C1 compiler the daemon runs
   * with, an integer comparison costs a third less per sample than Java 17's {@code
   * Math.abs(float)} and a float comparison.
   */
  static int magnitude(float v) {
    return Float.floatToRawIntBits(v) & 0x7fffffff;
  }

  /**
   * The larger of two magnitudes (non-negative ints), without a branch: on music, whose samples
   * rise and fall in runs, whether each sample is a group's new maximum is a coin toss for the
   * branch predictor, and a compare-and-branch per sample cost twice the loading loop's other work.
   * {@code b - a} cannot overflow for non-negative operands.
   */
  private static int larger(int a, int b) {
    int d = b - a;
    return a + (d & ~(d >> 31));
  }

  /**
   * The largest of four values that are not NaN and not -0 (absolute values), as nested {@code
   * Math.max} would give; plain comparisons, which the C1 compiler the daemon runs with does not
   * turn into calls.
   */
  private static float max4(float a, float b, float c, float d) {
    float ab = a > b ? a : b;
    float cd = c > d ? c : d;
    return ab > cd ? ab : cd;
  }

  private static void design(int factor, float[][] phases) {
    int n = factor * TAPS_PER_PHASE;
    // Centred on a tap of phase 0, so that the oversampled grid contains the input samples.
    double centre = n / 2.0;
    double i0Beta = besselI0(KAISER_BETA);
    double[] h = new double[n];
    for (int i = 0; i < n; i++) {
      double x = (i - centre) / factor * CUTOFF;
      double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      double r = (i - centre) / centre;
      h[i] = sinc * besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    }
    for (int ph = 0; ph < factor; ph++) {
      double sum = 0;
      for (int t = 0; t < TAPS_PER_PHASE; t++) {
        sum += h[t * factor + ph];
      }
      for (int t = 0; t < TAPS_PER_PHASE; t++) {
        phases[ph][t] = (float) (h[t * factor + ph] / sum);
      }
    }
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    for (int k = 1; k < 50; k++) {
      term *= (x / (2 * k)) * (x / (2 * k));
      sum += term;
      if (term < 1e-12 * sum) {
        break;
      }
    }
    return sum;
  }
}
