package io.tonearm.daemon.analysis;

import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.dsp.TruePeak;
import java.io.IOException;
import java.util.List;

/**
 * Offline loudness of a file (for a job): EBU R128 integrated loudness, loudness range and true
 * peak, and the ReplayGain 2.0 track gain (reference -18 LUFS: gain = -18 - integrated) and peak
 * (the true peak, linear, as RG 2.0 allows). Albums combine tracks over their concatenated gating
 * blocks, not by averaging gains. Runs on the caller's thread; reads the decoder to its end.
 */
public final class LoudnessAnalysis {

  /** ReplayGain 2.0 reference loudness. */
  public static final double REPLAYGAIN_REFERENCE_LUFS = -18;

  private LoudnessAnalysis() {}

  /**
   * One track's or album's result. Loudness values are -Infinity (and the gain 0) when everything
   * was below the absolute gate.
   *
   * @param integratedLufs gated integrated loudness, LUFS
   * @param loudnessRangeLu EBU Tech 3342 loudness range, LU
   * @param truePeakDbtp highest true peak of any channel, dBTP
   * @param samplePeak highest absolute sample value, linear
   * @param gatingBlocks the 400 ms gating blocks, for album combination
   * @param shortTermValues the 3 s short-term values, for album loudness range
   */
  public record Result(
      double integratedLufs,
      double loudnessRangeLu,
      double truePeakDbtp,
      double samplePeak,
      LoudnessHistogram gatingBlocks,
      LoudnessHistogram shortTermValues) {

    /** ReplayGain 2.0 gain in dB: -18 LUFS minus the integrated loudness; 0 for silence. */
    public double replayGainDb() {
      return Double.isFinite(integratedLufs) ? REPLAYGAIN_REFERENCE_LUFS - integratedLufs : 0;
    }

    /** ReplayGain peak: the true peak as a linear value (1.0 = full scale). */
    public double replayGainPeak() {
      return Math.pow(10, truePeakDbtp / 20);
    }
  }

  /** Measures a whole track. */
  public static Result analyze(Decoder decoder) throws IOException {
    AudioFormat fmt = decoder.format();
    int ch = fmt.channels();
    Track t = new Track(fmt.sampleRate(), ch);
    float[] buf = new float[4096 * ch];
    int n;
    while ((n = decoder.read(buf, 0, 4096)) > 0) {
      t.accept(buf, 0, n);
    }
    return t.result();
  }

  /**
   * One track's measurement fed block by block, for a caller that reads the audio for something
   * else too (reference matching). Not thread-safe; allocation-free per block.
   */
  public static final class Track {
    private final int channels;
    private final LoudnessMeter meter;
    private final TruePeak tp;
    private double truePeak;
    private double samplePeak;

    public Track(int sampleRate, int channels) {
      this.channels = channels;
      this.meter = new LoudnessMeter(sampleRate, channels);
      this.tp = new TruePeak(sampleRate, channels, false);
    }

    /**
     * Takes {@code frames} interleaved frames at {@code offset}; NaN is read as 0 and samples are
     * limited to ±4 (12 dBFS) in place.
     */
    public void accept(float[] buf, int offset, int frames) {
      int ch = channels;
      // Plain comparisons: the C1 compiler the daemon runs with keeps Math.max and Math.min's NaN
      // and -0 handling, which made this loop 30 % of an analysis. Only out-of-range samples are
      // written: NaN fails both tests and becomes 0, -0 stays -0.
      for (int i = offset, end = offset + frames * ch; i < end; i++) {
        float x = buf[i];
        if (!(x >= -4f && x <= 4f)) {
          buf[i] = x != x ? 0f : x < 0 ? -4f : 4f;
        }
      }
      meter.accept(buf, offset, frames);
      for (int c = 0; c < ch; c++) {
        truePeak = Math.max(truePeak, tp.peakAbove(buf, offset + c, ch, frames, c, truePeak));
        float peak = tp.blockPeak(); // the channel's largest |sample|, read as the filter loaded it
        if (peak > samplePeak) {
          samplePeak = peak;
        }
      }
    }

    /** The meter this track's loudness is measured with (a MixRamp profile may follow it). */
    public LoudnessMeter meter() {
      return meter;
    }

    /** The result of everything taken so far. */
    public Result result() {
      double peak = Math.max(truePeak, samplePeak);
      LoudnessHistogram gating = new LoudnessHistogram();
      gating.addAll(meter.gatingBlocks());
      LoudnessHistogram shortTerm = new LoudnessHistogram();
      shortTerm.addAll(meter.shortTermValues());
      return new Result(
          meter.integrated(),
          meter.loudnessRange(),
          20 * Math.log10(peak),
          samplePeak,
          gating,
          shortTerm);
    }
  }

  /** An album: loudness over all tracks' gating blocks together, the highest peaks. */
  public static Result album(List<Result> tracks) {
    LoudnessHistogram gating = new LoudnessHistogram();
    LoudnessHistogram shortTerm = new LoudnessHistogram();
    double tp = Double.NEGATIVE_INFINITY;
    double sp = 0;
    for (Result r : tracks) {
      gating.addAll(r.gatingBlocks());
      shortTerm.addAll(r.shortTermValues());
      tp = Math.max(tp, r.truePeakDbtp());
      sp = Math.max(sp, r.samplePeak());
    }
    return new Result(gating.gatedLoudness(-10), shortTerm.range(-20), tp, sp, gating, shortTerm);
  }
}
