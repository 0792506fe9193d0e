package io.tonearm.daemon.analysis;

import java.util.Arrays;
import java.util.Locale;

/**
 * MixRamp values measured from the audio, for tracks without MIXRAMP tags: for each whole level
 * from {@value #LOWEST_DB} to 0 dB, when the track's loudness first reaches it ({@link #start}, in
 * seconds from the start) and when it last does ({@link #end}, in seconds before the end), in the
 * tags' form ("dB seconds" pairs, ';'-separated, by rising level), as MPD reads MIXRAMP_START and
 * MIXRAMP_END. The loudness is BS.1770's momentary loudness (K-weighted, 400 ms window) every 100
 * ms, in LUFS (a stereo sine of peak X dBFS reads X), each value timed at its window's centre.
 * Levels the track never reaches have no pair (MPD then finds none, and does not MixRamp at them).
 *
 * <p>Not thread-safe: one per track, fed on the analysing thread; allocation-free per block.
 */
public final class MixRampProfile {

  /** The lowest level measured, dB: MixRamp's threshold range is -96..0. */
  public static final int LOWEST_DB = -96;

  private static final int LEVELS = -LOWEST_DB + 1;

  private final LoudnessMeter meter;
  private final int rate;
  private final int hop;
  private final double[] first = new double[LEVELS];
  private final double[] last = new double[LEVELS];
  private final boolean follows; // the meter is fed by another owner: accept only counts frames
  private long hops;
  private long frames;

  /** A profile that measures the audio {@link #accept} gives it with a meter of its own. */
  public MixRampProfile(int sampleRate, int channels) {
    this(sampleRate, new LoudnessMeter(sampleRate, channels), false);
  }

  private MixRampProfile(int sampleRate, LoudnessMeter meter, boolean follows) {
    this.meter = meter;
    this.follows = follows;
    this.rate = sampleRate;
    this.hop = (int) Math.round(sampleRate / 10.0); // the meter's 100 ms step
    Arrays.fill(first, -1);
    Arrays.fill(last, -1);
    meter.onHop(this::hop);
  }

  /**
   * A profile of what {@code meter} measures, for a caller that feeds that meter the track already
   * (the loudness analysis): {@link #accept} then only counts the frames, and the track is
   * K-weighted once. The values are those of a profile with its own meter, bit for bit: the same
   * samples in the same blocks, split at the same hops.
   */
  public static MixRampProfile following(LoudnessMeter meter, int sampleRate) {
    return new MixRampProfile(sampleRate, meter, true);
  }

  /**
   * Takes {@code n} interleaved finite frames at {@code offset} (samples); for a profile {@link
   * #following} a meter, the same frames as that meter was given, after it.
   */
  public void accept(float[] buf, int offset, int n) {
    if (!follows) {
      meter.accept(buf, offset, n); // ends its hops on the way, each calling hop()
    }
    frames += n;
  }

  private void hop(double momentaryLufs) {
    hops++;
    level(momentaryLufs);
  }

  private void level(double lufs) {
    if (!(lufs >= LOWEST_DB)) {
      return; // silence, not yet 400 ms, or below the lowest level
    }
    double t = (double) hops * hop / rate - 0.2; // the 400 ms window's centre
    int top = (int) Math.min(0, Math.floor(lufs)) - LOWEST_DB;
    for (int i = 0; i <= top; i++) {
      if (first[i] < 0) {
        first[i] = t;
      }
      last[i] = t;
    }
  }

  /** MIXRAMP_START's form: per level reached, the seconds from the start until it is reached. */
  public String start() {
    return pairs(first, false);
  }

  /** MIXRAMP_END's form: per level reached, the seconds after it is last reached until the end. */
  public String end() {
    return pairs(last, true);
  }

  private String pairs(double[] times, boolean fromEnd) {
    double length = (double) frames / rate;
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < LEVELS; i++) {
      if (times[i] < 0) {
        continue;
      }
      double t = fromEnd ? Math.max(0, length - times[i]) : times[i];
      if (s.length() > 0) {
        s.append(';');
      }
      s.append(String.format(Locale.ROOT, "%d %.2f", LOWEST_DB + i, t));
    }
    return s.toString();
  }
}
