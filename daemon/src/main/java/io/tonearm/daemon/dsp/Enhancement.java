package io.tonearm.daemon.dsp;

/**
 * The enhancement chain: input gain, parametric equaliser, reference-matching equaliser and level,
 * compressor, stereo width, true-peak limiter, output gain, in that order (the list in the
 * constructor).
 *
 * <p>Off, samples pass untouched, bit for bit, with no delay, and no stage runs. On, the chain
 * delays the audio by the limiter's look-ahead ({@link #latencyFrames}): switching on first moves
 * from the undelayed to the delayed input along a {@value #SHIFT_MS} ms crossfade (two copies of
 * the same waveform, so nothing clicks), then lets the stages fill their look-ahead and crossfades
 * from the delayed input to the processed signal over {@value #FADE_MS} ms; switching off does the
 * same backwards. The output loop reads the latency after every block and moves positions by its
 * change.
 *
 * <p>A/B comparison ({@link #compare}): while the chain is on, the bypassed signal (the delayed
 * input) is played instead of the processed one, loudness-matched: both paths' short-term loudness
 * (EBU R128, 3 s, K-weighted) is measured continuously, and the bypassed path is scaled by their
 * difference (at most 24 dB either way; ramped over {@value #MATCH_RAMP_MS} ms), so that louder
 * does not win. Switching between A and B is the same sample-aligned 10 ms crossfade. The gain can
 * take the bypassed signal over full scale; outputs clip it.
 *
 * <p>{@link #apply} and {@link #compare} from any thread (taken between two blocks; every parameter
 * ramps to its new value); the rest on the output thread (see {@link Stage}). Allocation-free per
 * block; {@link #prepare} allocates.
 */
public final class Enhancement implements Stage {

  static final double FADE_MS = 10;
  static final double SHIFT_MS = 5;
  static final double MATCH_RAMP_MS = 50;
  private static final double MAX_MATCH = Math.pow(10, 24 / 20.0);
  private static final double SILENT = 1e-9; // mean square of about -90 LUFS
  private static final int CHUNK = 1024;

  private final VolumeRamp inputGain = new VolumeRamp(1f);
  private final ParametricEq eq = new ParametricEq();
  private final ParametricEq match = new ParametricEq();
  private final VolumeRamp matchLevel = new VolumeRamp(1f);
  private final Compressor compressor = new Compressor();
  private final StereoWidth width = new StereoWidth();
  private final TruePeakLimiter limiter = new TruePeakLimiter();
  private final VolumeRamp outputGain = new VolumeRamp(1f);
  private final StageChain wet =
      StageChain.of(inputGain, eq, match, matchLevel, compressor, width, limiter, outputGain);

  private volatile EnhancementSettings wanted = EnhancementSettings.NEUTRAL;
  private volatile boolean compare;
  private EnhancementSettings seen;
  private int channels;
  private float[] dry = new float[0]; // this chunk's input, delayed like the processed path
  private float[] line = new float[0];
  private int linePos;
  private int delay;
  private boolean delayed; // the output runs delay frames late
  private int shiftLeft; // frames left of a move between the undelayed and the delayed input
  private int shiftFrames;
  private boolean running; // the stages run
  private int warmup; // frames until the processed path carries signal after a start
  private double mix; // 0 the delayed input, 1 the processed signal
  private double fadeStep;
  private ShortTermLoudness wetLoudness;
  private ShortTermLoudness dryLoudness;
  private double dryGain = 1; // the bypassed path's gain: 1 unless comparing
  private double gainStep;

  /**
   * The reference-matching curve, after the equaliser (at most {@link
   * EnhancementSettings#MAX_BANDS} bands; empty for none); glides there from the next block. Any
   * thread.
   */
  public void applyMatch(java.util.List<EqBand> bands) {
    applyMatch(bands, 0);
  }

  /**
   * The reference-matching curve and level: {@code bands} as {@link #applyMatch(java.util.List)},
   * and a gain of {@code gainDb} after them (the reference's loudness, {@link MatchCurve#gainDb}),
   * ramped like a volume change. Any thread.
   */
  public void applyMatch(java.util.List<EqBand> bands, double gainDb) {
    match.setBands(bands);
    matchLevel.setTarget((float) Math.pow(10, gainDb / 20));
  }

  /** The reference-matching level the chain runs with or ramps to, linear. Any thread. */
  public float matchLevel() {
    return matchLevel.target();
  }

  /** New settings, taken at the next block; any thread. */
  public void apply(EnhancementSettings s) {
    wanted = s;
  }

  /**
   * A/B: true plays the bypassed signal loudness-matched to the processed one while the chain is
   * on; any thread.
   */
  public void compare(boolean bypassed) {
    compare = bypassed;
  }

  /**
   * The bypassed path's loudness-matching gain now, linear (1 when not comparing); output thread.
   */
  public double matchGain() {
    return dryGain;
  }

  /** The settings the chain runs with or ramps to; any thread. */
  public EnhancementSettings settings() {
    return wanted;
  }

  @Override
  public void prepare(int sampleRate, int channels) {
    this.channels = channels;
    wet.prepare(sampleRate, channels);
    delay = wet.latencyFrames();
    line = new float[delay * channels];
    dry = new float[CHUNK * channels];
    fadeStep = 1 / (FADE_MS / 1000 * sampleRate);
    gainStep = 1 / (MATCH_RAMP_MS / 1000 * sampleRate);
    shiftFrames = Math.max(1, (int) (SHIFT_MS / 1000 * sampleRate));
    wetLoudness = new ShortTermLoudness(sampleRate, channels);
    dryLoudness = new ShortTermLoudness(sampleRate, channels);
    seen = null;
    matchLevel.jump(); // a new stream starts at the level set, as it starts with the settings
    reset();
  }

  /** The limiter's look-ahead while the chain is on (or moving off), else 0. */
  @Override
  public int latencyFrames() {
    return delayed ? delay : 0;
  }

  @Override
  public void reset() {
    wet.reset();
    java.util.Arrays.fill(line, 0f);
    linePos = 0;
    warmup = 0;
    shiftLeft = 0;
    boolean on = wanted.enabled();
    // After a break there is no waveform to keep smooth: straight to the wanted state.
    delayed = on;
    running = on;
    mix = on && !compare ? 1 : 0;
    dryGain = 1;
    if (wetLoudness != null) {
      wetLoudness.reset();
      dryLoudness.reset();
    }
  }

  @Override
  public void process(float[] buf, int offset, int frames) {
    EnhancementSettings s = wanted;
    if (s != seen) {
      configure(s);
    }
    boolean on = s.enabled();
    boolean b = on && compare;
    double target = on && !b ? 1 : 0;
    if (on && !delayed) {
      delayed = true; // first move to the delayed input, then start the stages
      shiftLeft = shiftFrames;
    }
    for (int at = 0; at < frames; at += CHUNK) {
      int n = Math.min(CHUNK, frames - at);
      int from = offset + at * channels;
      delayDry(buf, from, n);
      if (!delayed) {
        continue; // off: the input as it is
      }
      if (shiftLeft > 0) {
        shift(buf, from, n, on);
        continue;
      }
      if (on && !running) {
        wet.reset();
        wetLoudness.reset();
        dryLoudness.reset();
        running = true;
        warmup = delay;
      }
      if (running) {
        wet.process(buf, from, n);
        wetLoudness.accept(buf, from, n);
        dryLoudness.accept(dry, 0, n);
      }
      mix(buf, from, n, target, b ? matchTarget() : 1);
      if (!on && mix == 0 && dryGain == 1) {
        running = false;
        shiftLeft = shiftFrames; // back to the undelayed input
      }
    }
  }

  /**
   * One step of the crossfade between the undelayed input (in {@code buf}) and the delayed one (in
   * {@link #dry}): toward the delayed one when {@code on}. Off, the latency ends with it.
   */
  private void shift(float[] buf, int from, int n, boolean on) {
    for (int i = 0; i < n; i++) {
      double t = shiftLeft > 0 ? (double) (shiftFrames - shiftLeft) / shiftFrames : 1;
      double toDelayed = on ? t : 1 - t;
      if (shiftLeft > 0) {
        shiftLeft--;
      }
      int k = from + i * channels;
      for (int c = 0; c < channels; c++) {
        buf[k + c] = (float) ((1 - toDelayed) * buf[k + c] + toDelayed * dry[i * channels + c]);
      }
      if (shiftLeft == 0 && !on) {
        delayed = false; // what follows is the input as it is
        return;
      }
    }
  }

  /** The gain that brings the bypassed path's short-term loudness to the processed one's. */
  private double matchTarget() {
    double w = wetLoudness.meanSquare();
    double d = dryLoudness.meanSquare();
    if (w < SILENT || d < SILENT) {
      return dryGain; // nothing to match: keep the gain
    }
    return Math.max(1 / MAX_MATCH, Math.min(MAX_MATCH, Math.sqrt(w / d)));
  }

  private void configure(EnhancementSettings s) {
    seen = s;
    inputGain.setTarget((float) Math.pow(10, s.inputGainDb() / 20));
    eq.setBands(s.bands());
    compressor.setSettings(s.compressor());
    width.setWidth(s.width());
    limiter.setCeiling(s.limiter(), s.ceilingDbtp(), s.limiterReleaseMs());
    outputGain.setTarget((float) Math.pow(10, s.outputGainDb() / 20));
  }

  /**
   * Copies the chunk into {@link #dry} through the delay line (which always runs, so that switching
   * on finds the delayed input there). Off and undelayed, nothing reads {@link #dry}: only the line
   * is fed, and only with the chunk's last line-length of samples (the rest would be overwritten
   * within the chunk): a tenth of the chunk at 44.1 kHz. Whole runs of the ring at once: this runs
   * on every block, on or off.
   */
  private void delayDry(float[] buf, int from, int n) {
    int len = n * channels;
    int ring = line.length;
    if (ring == 0) {
      if (delayed) {
        System.arraycopy(buf, from, dry, 0, len);
      }
      return;
    }
    if (!delayed && len > ring) {
      int skip = len - ring; // samples that would leave the line within this chunk
      linePos = (int) ((linePos + (long) skip) % ring);
      from += skip;
      len = ring;
    }
    for (int done = 0; done < len; ) {
      int run = Math.min(len - done, ring - linePos);
      if (delayed) {
        System.arraycopy(line, linePos, dry, done, run); // what went in `ring` samples ago
      }
      System.arraycopy(buf, from + done, line, linePos, run);
      linePos = linePos + run == ring ? 0 : linePos + run;
      done += run;
    }
  }

  private void mix(float[] buf, int from, int n, double target, double gainTarget) {
    if (mix == target && warmup == 0 && dryGain == gainTarget) {
      if (mix == 0 && dryGain == 1) {
        System.arraycopy(dry, 0, buf, from, n * channels); // the delayed input, bit for bit
        return;
      }
      if (mix == 1) {
        return;
      }
    }
    for (int i = 0; i < n; i++) {
      if (warmup > 0) {
        warmup--; // the processed path is still filling its look-ahead: play the input
      } else if (mix != target) {
        mix = mix < target ? Math.min(target, mix + fadeStep) : Math.max(target, mix - fadeStep);
      }
      if (dryGain != gainTarget) {
        double step = gainStep * Math.max(dryGain, gainTarget);
        dryGain =
            dryGain < gainTarget
                ? Math.min(gainTarget, dryGain + step)
                : Math.max(gainTarget, dryGain - step);
      }
      double m = warmup > 0 ? 0 : mix;
      double g = (1 - m) * dryGain;
      int k = from + i * channels;
      for (int c = 0; c < channels; c++) {
        buf[k + c] = (float) (m * buf[k + c] + g * dry[i * channels + c]);
      }
    }
  }
}
