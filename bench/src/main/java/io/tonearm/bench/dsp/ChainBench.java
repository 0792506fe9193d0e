package io.tonearm.bench.dsp;

import io.tonearm.daemon.dsp.CompressorSettings;
import io.tonearm.daemon.dsp.Enhancement;
import io.tonearm.daemon.dsp.EnhancementSettings;
import io.tonearm.daemon.dsp.EqBand;
import io.tonearm.daemon.dsp.FilterType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The enhancement chain's cost per stream, as the output thread pays it: stereo blocks of 20 ms of
 * a programme signal (music-like, peaks over the ceiling so the limiter works) through {@link
 * Enhancement} with every stage on (10 equaliser bands, RMS compressor, width, true-peak limiter,
 * input and output gain), the same with a reference-matching curve too (its 10 peaking bands and
 * level: every stage the chain has), and with the chain off (the bit-exact delay). Reports, per
 * rate, the median over the runs of the CPU of the processing thread in % of one core at real time,
 * the bytes it allocated per second of audio, and the added latency.
 *
 * <p>Usage: {@code ChainBench [SECONDS_PER_RUN] [RUNS]} (defaults 60 and 5, after a warm-up of the
 * same length).
 */
public final class ChainBench {

  private ChainBench() {}

  static final EnhancementSettings ALL_ON =
      new EnhancementSettings(
          true,
          6,
          List.of(
              new EqBand(FilterType.HIGH_PASS, 25, 0, 0.707),
              new EqBand(FilterType.LOW_SHELF, 100, 3, 0.707),
              new EqBand(FilterType.PEAKING, 250, -2, 1),
              new EqBand(FilterType.PEAKING, 500, 1, 1.4),
              new EqBand(FilterType.PEAKING, 1000, -1, 2),
              new EqBand(FilterType.PEAKING, 2000, 2, 1),
              new EqBand(FilterType.PEAKING, 4000, 1.5, 1),
              new EqBand(FilterType.PEAKING, 8000, -1, 3),
              new EqBand(FilterType.HIGH_SHELF, 10_000, 2, 0.707),
              new EqBand(FilterType.LOW_PASS, 19_000, 0, 0.707)),
          new CompressorSettings(true, -20, 3, 6, 10, 150, 3),
          1.2,
          true,
          -1,
          50,
          -0.5);

  /**
   * A reference-matching curve as {@code MatchCurve} fits one: 10 peaking bands at the octave
   * centres 31.5 Hz..16 kHz, Q 1.4, and a level of -2 dB after them.
   */
  static final List<EqBand> MATCH =
      List.of(
          new EqBand(FilterType.PEAKING, 31.5, 1.5, 1.4),
          new EqBand(FilterType.PEAKING, 63, 1, 1.4),
          new EqBand(FilterType.PEAKING, 125, -0.5, 1.4),
          new EqBand(FilterType.PEAKING, 250, -1, 1.4),
          new EqBand(FilterType.PEAKING, 500, 0.5, 1.4),
          new EqBand(FilterType.PEAKING, 1000, -1.5, 1.4),
          new EqBand(FilterType.PEAKING, 2000, 1, 1.4),
          new EqBand(FilterType.PEAKING, 4000, 2, 1.4),
          new EqBand(FilterType.PEAKING, 8000, -2, 1.4),
          new EqBand(FilterType.PEAKING, 16_000, 1, 1.4));

  static final double MATCH_LEVEL_DB = -2;

  /** What a row runs. */
  enum Mode {
    ON("on"),
    ON_MATCHED("on+match"),
    OFF("off");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  record Run(double cpuPercent, double bytesPerSecond) {}

  public static void main(String[] args) {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.printf(
        "load average %.2f, %d s per run, %d runs%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), seconds, runs);
    for (int rate : new int[] {44_100, 96_000}) {
      for (Mode mode : Mode.values()) {
        Enhancement e = new Enhancement();
        e.apply(mode == Mode.OFF ? ALL_ON.withEnabled(false) : ALL_ON);
        if (mode == Mode.ON_MATCHED) {
          e.applyMatch(MATCH, MATCH_LEVEL_DB);
        }
        e.prepare(rate, 2);
        float[] programme = programme(rate, 10);
        measure(e, programme, rate, seconds); // warm-up
        List<Run> all = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
          all.add(measure(e, programme, rate, seconds));
        }
        System.out.printf(
            "%6d Hz chain %-8s: CPU %.3f%% of one core, %.0f bytes/s allocated, latency %d frames"
                + " (%.2f ms)%n",
            rate,
            mode.label,
            median(all.stream().mapToDouble(Run::cpuPercent).toArray()),
            median(all.stream().mapToDouble(Run::bytesPerSecond).toArray()),
            e.latencyFrames(),
            e.latencyFrames() * 1000.0 / rate);
      }
    }
  }

  private static Run measure(Enhancement e, float[] programme, int rate, int seconds) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int block = rate / 50; // 20 ms, the pipe's block
    float[] work = new float[block * 2];
    long frames = (long) seconds * rate;
    int at = 0;
    long cpu0 = mx.getCurrentThreadCpuTime();
    long bytes0 = mx.getThreadAllocatedBytes(tid);
    float sink = 0;
    for (long done = 0; done < frames; done += block) {
      if ((at + block) * 2 > programme.length) {
        at = 0;
      }
      System.arraycopy(programme, at * 2, work, 0, block * 2);
      e.process(work, 0, block);
      sink += work[block];
      at += block;
    }
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    long bytes = mx.getThreadAllocatedBytes(tid) - bytes0;
    if (sink == 12345) {
      System.out.print(""); // keeps the work observable
    }
    return new Run(100.0 * cpu / (seconds * 1e9), (double) bytes / seconds);
  }

  /** Music-like stereo: tones, a kick every half second and noise, peaks above full scale. */
  static float[] programme(int rate, double seconds) {
    int n = (int) (rate * seconds);
    float[] x = new float[n * 2];
    java.util.Random rnd = new java.util.Random(1);
    for (int i = 0; i < n; i++) {
      double t = (double) i / rate;
      double kick = Math.exp(-(t % 0.5) * 30) * Math.sin(2 * Math.PI * 60 * t);
      double tones = 0.2 * Math.sin(2 * Math.PI * 440 * t) + 0.1 * Math.sin(2 * Math.PI * 3300 * t);
      double noise = 0.05 * rnd.nextGaussian();
      x[2 * i] = (float) (0.7 * kick + tones + noise);
      x[2 * i + 1] = (float) (0.7 * kick + 0.8 * tones - noise);
    }
    return x;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
