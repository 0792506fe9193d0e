package io.tonearm.daemon.dsp;

/**
 * A look-ahead limiter whose output stays under a ceiling in true peak, as ITU-R BS.1770-4 annex 2
 * measures it: the level it reacts to is the input oversampled by {@link TruePeak}'s filter (the
 * same one the meters use), so inter-sample peaks are caught before they are made.
 *
 * <p>For each input sample the gain that would bring its oversampled neighbourhood to the ceiling
 * is held at its minimum over {@code A + 24} frames (A = {@value #ATTACK_MS} ms, plus the filter's
 * reach either side), released toward 1 along a one-pole curve (the release time), and averaged
 * over A frames: the average of values that are each at most the need of the sample they are
 * applied to is itself at most that need, so the gain reaches its floor before the peak arrives and
 * never overshoots, and it moves smoothly (no step, no distortion from the attack). The signal is
 * delayed by the look-ahead, {@code A + 23} frames (2.5 ms at 44.1 kHz), which is this stage's
 * {@link #latencyFrames}. A final clamp at the ceiling guards the sample peak. Limiting off (or a
 * signal under the ceiling) gives the input delayed, bit for bit.
 *
 * <p>{@link #setCeiling} from any thread; the rest on the output thread (see {@link Stage}).
 */
public final class TruePeakLimiter implements Stage {

  static final double ATTACK_MS = 2;

  /** The filter's reach either side of a sample (its group delay). */
  private static final int REACH = TruePeak.TAPS_PER_PHASE / 2;

  /** Fixed-point scale of the averaged gains: sums are exact, so the average never rounds up. */
  private static final double ONE = 0x1p40;

  /** Frames analysed at once: bounds the scratch arrays. */
  private static final int CHUNK = 1024;

  private volatile double wantedCeiling = 1; // linear; +infinity when off
  private volatile double wantedReleaseMs = 50;
  private TruePeak truePeak;
  private int channels;
  private int attack;
  private int hold;
  private int delay;
  private float[] line = new float[0]; // the delayed input, interleaved, a ring of delay frames
  private int linePos;
  private final float[] peaks = new float[CHUNK];
  private int[] holdAt = new int[0]; // the min-hold's monotonic queue: frame counters and needs
  private double[] holdNeed = new double[0];
  private int holdHead;
  private int holdCount;
  private int frameCounter;
  private long[] box = new long[0];
  private int boxPos;
  private long boxSum;
  private double released;
  private double releaseCoef;
  private double seenReleaseMs = -1;
  private int rate;
  private double lastGain = 1;

  /**
   * The ceiling in dBTP (0 or less), or limiting off when {@code on} is false; any thread. The
   * change is smoothed like any gain change (over the attack time).
   */
  public void setCeiling(boolean on, double ceilingDbtp, double releaseMs) {
    wantedCeiling = on ? Math.pow(10, ceilingDbtp / 20) * (1 - 1e-5) : Double.POSITIVE_INFINITY;
    wantedReleaseMs = releaseMs;
  }

  /** The gain applied to the last frame, linear (1 when not limiting); output thread. */
  public double gain() {
    return lastGain;
  }

  @Override
  public void prepare(int sampleRate, int channels) {
    this.rate = sampleRate;
    this.channels = channels;
    truePeak = new TruePeak(sampleRate, channels, false);
    attack = Math.max(1, (int) Math.round(ATTACK_MS / 1000 * sampleRate));
    hold = attack + 2 * REACH;
    delay = attack + 2 * REACH - 1;
    line = new float[delay * channels];
    holdAt = new int[hold + 1];
    holdNeed = new double[hold + 1];
    box = new long[attack];
    seenReleaseMs = -1;
    reset();
  }

  @Override
  public int latencyFrames() {
    return delay;
  }

  @Override
  public void reset() {
    if (truePeak == null) {
      return; // not prepared: nothing held
    }
    truePeak.reset();
    java.util.Arrays.fill(line, 0f);
    linePos = 0;
    holdHead = 0;
    holdCount = 0;
    frameCounter = 0;
    java.util.Arrays.fill(box, (long) ONE);
    boxSum = (long) ONE * attack;
    boxPos = 0;
    released = 1;
    lastGain = 1;
  }

  @Override
  public void process(float[] buf, int offset, int frames) {
    double ceiling = wantedCeiling;
    double releaseMs = wantedReleaseMs;
    if (releaseMs != seenReleaseMs) {
      seenReleaseMs = releaseMs;
      releaseCoef = Math.exp(-1 / (Math.max(1, releaseMs) / 1000 * rate));
    }
    for (int at = 0; at < frames; at += CHUNK) {
      int n = Math.min(CHUNK, frames - at);
      int from = offset + at * channels;
      java.util.Arrays.fill(peaks, 0, n, 0f);
      for (int c = 0; c < channels; c++) {
        truePeak.peaks(buf, from + c, channels, n, c, peaks);
      }
      for (int i = 0; i < n; i++) {
        double need = peaks[i] > ceiling ? ceiling / peaks[i] : 1;
        double g = gainFor(need);
        int k = from + i * channels;
        int l = linePos * channels;
        for (int c = 0; c < channels; c++) {
          float x = buf[k + c];
          float d = line[l + c];
          line[l + c] = x;
          if (g < 1) {
            float y = (float) (d * g);
            float cap = (float) Math.min(ceiling, 4);
            d = Math.max(-cap, Math.min(cap, y));
          }
          buf[k + c] = d;
        }
        linePos = linePos + 1 == delay ? 0 : linePos + 1;
      }
    }
  }

  /** Min-hold, release and the box average of one more frame's need; the gain to apply now. */
  private double gainFor(double need) {
    int now = frameCounter++;
    while (holdCount > 0 && holdNeed[(holdHead + holdCount - 1) % holdNeed.length] >= need) {
      holdCount--;
    }
    int tail = (holdHead + holdCount) % holdNeed.length;
    holdAt[tail] = now;
    holdNeed[tail] = need;
    holdCount++;
    while (now - holdAt[holdHead] >= hold) {
      holdHead = (holdHead + 1) % holdNeed.length;
      holdCount--;
    }
    double h = holdNeed[holdHead];
    released = h < released ? h : releaseCoef * released + (1 - releaseCoef) * h;
    if (released > 1 - 1e-9) {
      released = 1; // recovered exactly: unity gain leaves samples untouched
    }
    long q = (long) Math.floor(released * ONE);
    boxSum += q - box[boxPos];
    box[boxPos] = q;
    boxPos = boxPos + 1 == attack ? 0 : boxPos + 1;
    lastGain = boxSum / (ONE * attack);
    return lastGain;
  }
}
